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

/**
 * Where the context before a span starts: on the span's own line (a form's previous line is about
 * another field), or on the line before when the span starts its line ("Phone:\n+49 …").
 */
function windowStart(text: string, start: number): number {
  const floor = Math.max(0, start - WINDOW_BEFORE);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (lineStart <= floor) return floor;
  if (text.slice(lineStart, start).trim()) return lineStart;
  return Math.max(floor, text.lastIndexOf('\n', lineStart - 2) + 1);
}

/** True when one of the words occurs just before the span, or just after it on the same line. */
export function hasContextWord(
  text: string,
  start: number,
  end: number,
  pattern: RegExp,
  after = WINDOW_AFTER,
): boolean {
  if (pattern.test(text.slice(windowStart(text, start), start))) return true;
  if (after <= 0) return false;
  const lineEnd = text.indexOf('\n', end);
  return pattern.test(text.slice(end, Math.min(end + after, lineEnd < 0 ? text.length : lineEnd)));
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
  // A name's context comes before it ("Dear …", "customer …"); after it, a "Thanks" belongs to the next sentence.
  const after = finding.type === 'person_name' ? 0 : WINDOW_AFTER;
  if (context.raise && hasContextWord(text, finding.start, finding.end, context.raise, after)) score += RAISE;
  if (context.lower && hasContextWord(text, finding.start, finding.end, context.lower, 0)) score -= LOWER;
  return Math.max(0, Math.min(1, Math.round(score * 100) / 100));
}
