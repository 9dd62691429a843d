import { distance } from 'fastest-levenshtein';

/**
 * The known names closest to a mistyped one: within a fifth of its length in edits (at least two)
 * and no more than one edit worse than the best, best first, at most `max`.
 * `closestNames('shpo', ['shop', 'crm'])` → ['shop'].
 */
export function closestNames(given: string, known: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(given.length / 5));
  const lower = given.toLowerCase();
  const close = [...new Set(known)]
    .map((name) => ({ name, edits: distance(lower, name.toLowerCase()) }))
    .filter(({ edits }) => edits <= limit)
    .sort((a, b) => a.edits - b.edits || a.name.localeCompare(b.name));
  const best = close[0]?.edits ?? 0;
  return close
    .filter(({ edits }) => edits <= best + 1)
    .slice(0, max)
    .map(({ name }) => name);
}

/** ` Did you mean "shop"?` for an error message, or '' when nothing is close. */
export function didYouMean(given: string, known: Iterable<string>): string {
  const close = closestNames(given, known);
  return close.length ? ` Did you mean ${close.map((name) => `"${name}"`).join(' or ')}?` : '';
}
