import type { RowPredicate } from '../connector.ts';
import type { ColumnResolver } from './line-predicate.ts';
import type { LinePrefilter } from './line-stream.ts';

/**
 * The literal strings one of which every line matching `where` must contain, when the predicate
 * pins a column that shows its values verbatim in the line (a JSON value, a detected value, the
 * line) to given values — the subject's identities. Undefined when it does not: then every line is
 * parsed.
 *
 * The pre-filter may let through lines that do not match (the visitor parses them and decides) but
 * must never skip one that does, so it also lists the marks of spellings its needles cannot:
 * - JSON may escape any character as `\u` + 4 hex digits (`ann\u0040example.com`, `\u00e9`) and a
 *   slash as `\/`: every line with such an escape is a candidate (they are rare in logs);
 * - compared case-insensitively (the needles are lower-cased ASCII, the line ASCII-folded), the
 *   only non-ASCII character that lower-cases to ASCII is the Kelvin sign (U+212A → k).
 */
export function prefilterFor(
  where: RowPredicate,
  resolve: ColumnResolver,
  format: 'jsonl' | 'text',
): LinePrefilter | undefined {
  const found = literals(where, resolve);
  if (!found || !found.values.length) return undefined;
  const spellings = new Set<string>();
  const triggers = new Set<string>();
  for (const value of found.values) {
    spellings.add(value);
    if (format === 'jsonl') {
      spellings.add(JSON.stringify(value).slice(1, -1));
      triggers.add('\\u');
      if (value.includes('/')) triggers.add('\\/');
    }
  }
  const needles = [...spellings].map((s) => (found.caseInsensitive ? s.toLowerCase() : s));
  // Case-folding is ASCII-only: a non-ASCII needle could miss an upper-case spelling of itself.
  if (found.caseInsensitive && needles.some(hasNonAscii)) return undefined;
  if (needles.some((n) => n.length === 0)) return undefined;
  if (found.caseInsensitive && needles.some((n) => n.includes('k'))) triggers.add(KELVIN_SIGN);
  return {
    needles: [...new Set(needles)].map((n) => Buffer.from(n, 'utf8')),
    caseInsensitive: found.caseInsensitive,
    triggers: [...triggers].map((t) => Buffer.from(t, 'utf8')),
  };
}

/** U+212A, whose lower case is the ASCII k (String#toLowerCase, as the predicate compares). */
const KELVIN_SIGN = '\u212a';

interface Literals {
  values: string[];
  caseInsensitive: boolean;
}

function literals(predicate: RowPredicate, resolve: ColumnResolver): Literals | undefined {
  switch (predicate.kind) {
    case 'in': {
      if (predicate.columns.length !== 1 || !verbatim(predicate.columns[0]!, resolve)) return undefined;
      const values = predicate.tuples.map((tuple) => tuple[0]);
      if (!values.every(isLiteral)) return undefined;
      return { values: values.map(String), caseInsensitive: predicate.lowercase === true };
    }
    case 'equals':
      if (!verbatim(predicate.column, resolve) || !isLiteral(predicate.value)) return undefined;
      return { values: [String(predicate.value)], caseInsensitive: false };
    case 'all': {
      const parts = predicate.of.map((part) => literals(part, resolve)).filter((p): p is Literals => !!p);
      return parts.sort((a, b) => a.values.length - b.values.length)[0];
    }
    case 'any': {
      const parts = predicate.of.map((part) => literals(part, resolve));
      if (!parts.length || parts.some((p) => !p)) return undefined;
      const caseInsensitive = parts.some((p) => p!.caseInsensitive);
      return { values: parts.flatMap((p) => p!.values), caseInsensitive };
    }
    default:
      return undefined;
  }
}

function verbatim(name: string, resolve: ColumnResolver): boolean {
  const kind = resolve(name).kind;
  return kind === 'path' || kind === 'detected' || kind === 'line';
}

function isLiteral(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint';
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}
