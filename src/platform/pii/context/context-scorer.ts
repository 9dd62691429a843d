import type { Language, PiiFinding, PiiType } from '../pii-types.ts';
import { CONTEXT_WORDS } from './context-words.ts';
import { wholeWordPattern } from './word-pattern.ts';

/** How far before and after a finding context words are looked for (characters). */
const WINDOW_BEFORE = 40;
const WINDOW_AFTER = 16;
const RAISE = 0.3;
const LOWER = 0.3;

interface CompiledContext {
  raise: RegExp | undefined;
  lower: RegExp | undefined;
}

const compiled = new Map<string, CompiledContext>();

function contextFor(type: PiiType, languages: readonly Language[], languageKey: string): CompiledContext {
  const key = `${type}|${languageKey}`;
  let entry = compiled.get(key);
  if (!entry) {
    const perLanguage = languages.map((language) => CONTEXT_WORDS[type]?.[language]);
    entry = {
      raise: wholeWordPattern(perLanguage.flatMap((words) => words?.raise ?? [])),
      lower: wholeWordPattern(perLanguage.flatMap((words) => words?.lower ?? [])),
    };
    compiled.set(key, entry);
  }
  return entry;
}

/** True when one of the words occurs in the text just before (or just after) the span. */
export function hasContextWord(
  text: string,
  start: number,
  end: number,
  pattern: RegExp,
  after = WINDOW_AFTER,
): boolean {
  const before = text.slice(Math.max(0, start - WINDOW_BEFORE), start);
  if (pattern.test(before)) return true;
  return after > 0 && pattern.test(text.slice(end, end + after));
}

/**
 * The finding's score moved by the context words of its type in the given languages: up when a word
 * that names the type is near, down when one naming something else (an order number) is.
 */
export function scoreInContext(
  text: string,
  finding: PiiFinding,
  languages: readonly Language[],
  languageKey: string,
): number {
  const context = contextFor(finding.type, languages, languageKey);
  let score = finding.score;
  if (context.raise && hasContextWord(text, finding.start, finding.end, context.raise)) score += RAISE;
  if (context.lower && hasContextWord(text, finding.start, finding.end, context.lower, 0)) score -= LOWER;
  return Math.max(0, Math.min(1, Math.round(score * 100) / 100));
}
