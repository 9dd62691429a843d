import { readFileSync } from 'node:fs';

/** How strongly a word reads as a name: 2 = a name on its own, 1 = also an ordinary word, 0 = not a name. */
export type NameStrength = 0 | 1 | 2;

interface LexiconFile {
  givenStrong: string[];
  givenWeak: string[];
  surnameStrong: string[];
  surnameWeak: string[];
  common: string[];
}

export interface NameLexicon {
  /** Keys are lower-case (NFC); callers lower-case once per token. */
  givenName(lower: string): NameStrength;
  surname(lower: string): NameStrength;
  isCommonWord(lower: string): boolean;
}

function strengthMap(strong: string[], weak: string[]): Map<string, NameStrength> {
  const map = new Map<string, NameStrength>();
  for (const name of weak) map.set(name, 1);
  for (const name of strong) map.set(name, 2);
  return map;
}

let loaded: NameLexicon | undefined;

/** The shipped lexicon (name-lexicon.json, ~0.7 MB), read on first use and then shared. */
export function nameLexicon(): NameLexicon {
  if (loaded) return loaded;
  const file = JSON.parse(
    readFileSync(new URL('./name-lexicon.json', import.meta.url), 'utf8'),
  ) as LexiconFile;
  const given = strengthMap(file.givenStrong, file.givenWeak);
  const surnames = strengthMap(file.surnameStrong, file.surnameWeak);
  const common = new Set(file.common);
  loaded = {
    givenName: (lower) => given.get(lower) ?? 0,
    surname: (lower) => surnames.get(lower) ?? 0,
    isCommonWord: (lower) => common.has(lower),
  };
  return loaded;
}
