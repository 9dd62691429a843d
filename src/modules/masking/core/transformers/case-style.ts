/** Writes `output` in the letter case style of `source`: all capitals, all lower case, or as drawn. */
export function inCaseStyleOf(source: string, output: string): string {
  const hasLetters = /\p{L}/u.test(source);
  if (!hasLetters) return output;
  if (source === source.toUpperCase()) return output.toUpperCase();
  if (source === source.toLowerCase()) return output.toLowerCase();
  return output;
}
