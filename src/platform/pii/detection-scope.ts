import type { CountryCode } from 'libphonenumber-js/max';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { LANGUAGES, PII_TYPES, type DetectOptions, type Language, type PiiType } from './pii-types.ts';
import { PHONE_REGIONS } from './validators/phone-number.ts';

/** Options checked and resolved once; shared by every detector of one call. */
export interface DetectionScope {
  languages: readonly Language[];
  /** A stable key of the language set, for caches of compiled patterns. */
  languageKey: string;
  types: ReadonlySet<PiiType>;
  minScore: number;
  phoneRegions: readonly CountryCode[];
}

export const DEFAULT_MIN_SCORE = 0.5;

const scopes = new Map<string, DetectionScope>();

function checkedLanguages(languages: readonly string[] | undefined): readonly Language[] {
  if (!languages) return LANGUAGES;
  const unknown = languages.filter((language) => !(LANGUAGES as readonly string[]).includes(language));
  if (unknown.length || !languages.length) {
    throw new InvalidInput(
      'pii.invalid_language',
      `Unsupported language(s) ${unknown.join(', ') || '(none given)'}: use some of ${LANGUAGES.join(', ')}.`,
      { unknown, supported: LANGUAGES },
    );
  }
  return LANGUAGES.filter((language) => languages.includes(language));
}

function checkedTypes(types: readonly string[] | undefined): ReadonlySet<PiiType> {
  if (!types) return new Set(PII_TYPES);
  const unknown = types.filter((type) => !(PII_TYPES as readonly string[]).includes(type));
  if (unknown.length) {
    throw new InvalidInput(
      'pii.invalid_type',
      `Unknown PII type(s) ${unknown.join(', ')}: use some of ${PII_TYPES.join(', ')}.`,
      {
        unknown,
        supported: PII_TYPES,
      },
    );
  }
  return new Set(types as readonly PiiType[]);
}

/** Validates detection options (a clear InvalidInput otherwise) and resolves their defaults. */
export function detectionScope(options: DetectOptions = {}): DetectionScope {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  if (!Number.isFinite(minScore) || minScore < 0 || minScore > 1) {
    throw new InvalidInput(
      'pii.invalid_min_score',
      `minScore must be a number from 0 to 1, got ${String(minScore)}.`,
    );
  }
  const key = `${options.languages?.join(',') ?? '*'}|${options.types?.join(',') ?? '*'}|${minScore}`;
  const cached = scopes.get(key);
  if (cached) return cached;
  const languages = checkedLanguages(options.languages);
  const scope: DetectionScope = {
    languages,
    languageKey: languages.join(','),
    types: checkedTypes(options.types),
    minScore,
    phoneRegions: [...new Set(languages.flatMap((language) => PHONE_REGIONS[language]))],
  };
  // Bounded: option combinations are few in practice, but callers may build them from input.
  if (scopes.size > 256) scopes.clear();
  scopes.set(key, scope);
  return scope;
}
