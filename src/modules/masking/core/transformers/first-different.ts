/**
 * Draws candidates until one differs from the input (compared case-folded), so a masked value never
 * equals the value it replaces even when it comes from a small dictionary (a masked "Anna" is
 * never "Anna"). Attempt n re-derives from the key with `#n` in the purpose, so it stays
 * deterministic. Sixteen equal draws in a row would need a dictionary of one entry.
 */
export function firstDifferent(value: string, candidate: (attempt: number) => string): string {
  const folded = value.toLowerCase();
  let output = candidate(0);
  for (let attempt = 1; attempt < 16 && output.toLowerCase() === folded; attempt++)
    output = candidate(attempt);
  return output;
}

/** The digest purpose of an attempt: `email`, `email#1`, `email#2`, … */
export function attemptPurpose(purpose: string, attempt: number): string {
  return attempt === 0 ? purpose : `${purpose}#${attempt}`;
}

/** Cuts a value to a bounded column's length (code points, as databases count characters). */
export function fitLength(value: string, length: number | undefined): string {
  if (length === undefined || value.length <= length) return value;
  return Array.from(value).slice(0, length).join('');
}
