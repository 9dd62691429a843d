const escapeForRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One precompiled regex that finds any of the words as a whole word (not inside a longer word),
 * case-insensitive; longest alternatives first so "date of birth" wins over "date".
 */
export function wholeWordPattern(words: readonly string[], flags = 'iu'): RegExp | undefined {
  const unique = [...new Set(words)].sort((a, b) => b.length - a.length);
  if (!unique.length) return undefined;
  return new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${unique.map(escapeForRegExp).join('|')})(?![\\p{L}\\p{N}])`,
    flags,
  );
}
