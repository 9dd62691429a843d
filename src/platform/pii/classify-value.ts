import validator from 'validator';
import { detectionScope, type DetectionScope } from './detection-scope.ts';
import type { ClassifyOptions, PiiType, ValueMatch } from './pii-types.ts';
import { nameTokenRuns } from './recognizers/name-tokens.ts';
import { nameSpansInRun } from './recognizers/person-name-scoring.ts';
import { STREET_PATTERNS } from './recognizers/street-patterns.ts';
import { plausibleBirthDate } from './validators/calendar-date.ts';
import { cardBrand, checkCardNumber } from './validators/credit-card.ts';
import { isEmailAddress } from './validators/email.ts';
import { checkIban } from './validators/iban.ts';
import { ipVersion, isNonPersonalIp } from './validators/ip-address.ts';
import { nationalIdKindsOf } from './validators/national-id.ts';
import { checkPhoneNumber } from './validators/phone-number.ts';

/** Values longer than this are free text: use detectPii on them instead. */
const MAX_VALUE_LENGTH = 512;

const POSTAL_CODE_LOCALES = { en: ['US', 'GB'], de: ['DE', 'AT', 'CH'], fr: ['FR', 'BE', 'CH'] } as const;
type PostalLocale = (typeof POSTAL_CODE_LOCALES)[keyof typeof POSTAL_CODE_LOCALES][number];
const MAC = /^(?:[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})$/i;

type Check = (value: string, scope: DetectionScope) => readonly ValueMatch[];

/** What a check returns when the value is not its type: one shared array, not a new one per value. */
const NONE: readonly ValueMatch[] = Object.freeze([]);
const DIGIT = /\d/;
const UPPER_CASE_LETTER = /\p{Lu}/u;
const LETTER = /\p{L}/u;

/**
 * The postcode locales of the scope's languages, computed once per language set. Every format of
 * these locales (validator's US, GB, DE, AT, CH, FR and BE patterns: 4 or 5 digits, US ZIP+4 of 10
 * characters, GB codes of 2 to 8 such as "GIR 0AA" or "SW1A 1AA") is 2 to 10 characters long and
 * holds a digit, and is made of ASCII letters, digits, hyphens and white space (GB's \s, the same
 * set as below), so the check rejects anything else before testing seven patterns.
 */
const POSTCODE_CHARACTERS = /^[\dA-Za-z\s-]+$/;
const postalLocales = new Map<string, readonly PostalLocale[]>();
function postalLocalesOf(scope: DetectionScope): readonly PostalLocale[] {
  let locales = postalLocales.get(scope.languageKey);
  if (!locales) {
    locales = [...new Set(scope.languages.flatMap((language) => POSTAL_CODE_LOCALES[language]))];
    postalLocales.set(scope.languageKey, locales);
  }
  return locales;
}

const checks: readonly Check[] = [
  (value) => (isEmailAddress(value) ? [{ type: 'email', score: 0.95, validator: 'email-validator' }] : NONE),
  (value) => {
    const version = ipVersion(value);
    if (!version) return NONE;
    return [
      {
        type: 'ip_address',
        score: isNonPersonalIp(value) ? 0.3 : 0.9,
        validator: 'ip-node-net',
        subtype: `v${version}`,
      },
    ];
  },
  (value) => (MAC.test(value) ? [{ type: 'mac_address', score: 0.85, validator: 'mac-pattern' }] : NONE),
  (value) => {
    const iban = /^[A-Za-z]{2}\d{2}/.test(value) ? checkIban(value) : undefined;
    if (!iban) return NONE;
    return [
      {
        type: 'iban',
        score: iban.nationalCheckDigits ? 0.95 : 0.8,
        validator: 'iban-mod97',
        subtype: iban.country,
      },
    ];
  },
  (value) => {
    const card = checkCardNumber(value);
    if (!card?.luhn) return NONE;
    const brand = card.brand ?? cardBrand(value.replace(/[ -]/g, ''));
    return [
      {
        type: 'credit_card',
        score: brand ? 0.9 : 0.35,
        validator: 'luhn-iin',
        ...(brand ? { subtype: brand } : {}),
      },
    ];
  },
  (value, scope) => {
    const phone = checkPhoneNumber(value, scope.phoneRegions);
    if (!phone) return NONE;
    return [
      {
        type: 'phone_number',
        score: phone.international ? 0.9 : 0.7,
        validator: 'phone-libphonenumber',
        subtype: phone.region,
      },
    ];
  },
  (value) =>
    nationalIdKindsOf(value).map((kind) => ({
      type: 'national_id' as const,
      score: Math.round(Math.min(0.95, kind.baseScore + 0.3) * 100) / 100,
      validator: `stdnum:${kind.subtype}`,
      subtype: kind.subtype,
    })),
  (value) =>
    plausibleBirthDate(value)
      ? [{ type: 'date_of_birth', score: 0.4, validator: 'date-plausible-birth' }]
      : NONE,
  (value, scope) => {
    if (value.length < 2 || value.length > 10 || !DIGIT.test(value) || !POSTCODE_CHARACTERS.test(value))
      return NONE;
    const locale = postalLocalesOf(scope).find((candidate) => validator.isPostalCode(value, candidate));
    if (!locale) return NONE;
    // Five digits are as often a count or an id as a postcode; a UK or Canadian code is distinctive.
    const score = /^\d+$/.test(value) ? 0.3 : /\d{5}-\d{4}/.test(value) ? 0.6 : 0.75;
    return [{ type: 'postal_code', score, validator: 'postal-code-format', subtype: locale }];
  },
  (value) =>
    /^(?:https?:\/\/|www\.)/i.test(value) && validator.isURL(value, { require_tld: true })
      ? [{ type: 'url', score: 0.6, validator: 'url-validator' }]
      : NONE,
  (value, scope) => {
    // Every street pattern needs a street word or a capitalised name: a value without a letter has neither.
    if (!LETTER.test(value)) return NONE;
    for (const language of scope.languages) {
      const pattern = STREET_PATTERNS[language];
      pattern.lastIndex = 0;
      const match = pattern.exec(value);
      pattern.lastIndex = 0;
      // The street pattern must cover most of the value ("Hauptstraße 5, 10115 Berlin", not a sentence).
      if (match && match[0].length >= value.length * 0.6) {
        return [
          {
            type: 'postal_address',
            score: match.groups?.town || match.groups?.townAfterAnyStreet ? 0.95 : 0.8,
            validator: `address-${language}`,
          },
        ];
      }
    }
    return NONE;
  },
  (value, scope) => {
    // A name token starts with an upper-case letter (a particle counts only before one): none, no name.
    if (!UPPER_CASE_LETTER.test(value)) return NONE;
    const runs = nameTokenRuns(value, scope.languages, scope.languageKey);
    const spans = runs.length === 1 ? nameSpansInRun(runs[0]!) : [];
    const span = spans.length === 1 ? spans[0]! : undefined;
    // The whole value must be the name (an honorific before it is fine): "Anna Schmidt", "Dr. Lee".
    if (!span || span.end < value.length - 1) return NONE;
    // A column of bare first names is personal too: a lone known given name scores more than in text.
    const score = span.evidence === 'given' ? 0.6 : span.evidence === 'surname' ? 0.45 : span.score;
    return [{ type: 'person_name', score, validator: `name-${span.evidence}` }];
  },
];

let defaultScopeCache: DetectionScope | undefined;
/** The scope of every language, resolved once (discovery classifies thousands of values with it). */
function defaultScope(): DetectionScope {
  return (defaultScopeCache ??= detectionScope());
}

/**
 * Which types one whole value (a column cell, a JSON leaf) validly is, each with a score and the
 * validator that accepted it, highest score first. A value passes a validator when it appears here;
 * discovery counts, per column, how many sampled values pass each validator.
 */
export function classifyValue(value: string, options?: ClassifyOptions): ValueMatch[] {
  const scope = options?.languages ? detectionScope({ languages: options.languages }) : defaultScope();
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > MAX_VALUE_LENGTH) return [];
  const best = new Map<PiiType, ValueMatch>();
  for (const check of checks) {
    for (const match of check(trimmed, scope)) {
      const seen = best.get(match.type);
      // One match per type; the national id kinds are already sorted most telling first.
      if (!seen || match.score > seen.score) best.set(match.type, match);
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score || (a.type < b.type ? -1 : 1));
}
