import { HONORIFICS } from '../context/context-words.ts';
import { nameLexicon, type NameStrength } from '../lexicon/name-lexicon.ts';
import type { Language } from '../pii-types.ts';

/** A capitalised word (hyphenated parts, apostrophes, one trailing dot) or a lower-case name particle. */
const TOKEN =
  /(?<![\p{L}\p{N}@._/-])(?:\p{Lu}[\p{L}'’]*(?:-\p{Lu}[\p{L}'’]*)*\.?|(?:van|von|de|du|der|den|di|da|dos|del|la|le|ten|ter|zu|vom|bin|al|el)(?=\s\p{Lu}))(?![\p{L}\p{N}@])/gu;
const POSSESSIVE = /['’]s$/;
/** Salutations and sign-offs are capitalised at the start of a line but never part of a name. */
const SALUTATIONS = new Set(
  'hi|hey|hello|dear|thanks|cheers|best|regards|hallo|liebe|lieber|moin|servus|danke|grüße|bonjour|bonsoir|salut|coucou|cher|chère|merci|cordialement'.split(
    '|',
  ),
);

export type TokenKind = 'honorific' | 'initial' | 'particle' | 'name' | 'unknown' | 'word';

export interface NameToken {
  start: number;
  /** End of the word itself, without a sentence dot or a possessive 's. */
  end: number;
  kind: TokenKind;
  given: NameStrength;
  surname: NameStrength;
  /** The token closes its run: a dot that ends a sentence, or a possessive. */
  closesRun: boolean;
  /** Written in capitals ("DUPONT", "IBAN"): a name only beside another name. */
  shouting: boolean;
}

const honorificSets = new Map<string, Set<string>>();

function honorificsFor(languages: readonly Language[], key: string): Set<string> {
  let set = honorificSets.get(key);
  if (!set) {
    set = new Set(languages.flatMap((language) => HONORIFICS[language]));
    honorificSets.set(key, set);
  }
  return set;
}

function strengthOf(lookup: (lower: string) => NameStrength, lower: string): NameStrength {
  const whole = lookup(lower);
  if (whole || !lower.includes('-')) return whole;
  // "Jean-Pierre", "Müller-Lüdenscheidt": as strong as its weakest part.
  let weakest: NameStrength = 2;
  for (const part of lower.split('-')) {
    const strength = lookup(part);
    if (strength < weakest) weakest = strength;
  }
  return weakest;
}

function classify(
  word: string,
  raw: string,
  honorifics: Set<string>,
): Pick<NameToken, 'kind' | 'given' | 'surname'> {
  const lexicon = nameLexicon();
  if (honorifics.has(raw) || honorifics.has(word)) return { kind: 'honorific', given: 0, surname: 0 };
  if (/^\p{Ll}/u.test(word)) return { kind: 'particle', given: 0, surname: 0 };
  if (/^\p{Lu}$/u.test(word) && raw.endsWith('.')) return { kind: 'initial', given: 0, surname: 0 };
  const lower = word.toLowerCase();
  if (SALUTATIONS.has(lower)) return { kind: 'word', given: 0, surname: 0 };
  const given = strengthOf(lexicon.givenName, lower);
  const surname = strengthOf(lexicon.surname, lower);
  if (given || surname) return { kind: 'name', given, surname };
  const allCaps = word === word.toUpperCase();
  if (word.length < 2 || allCaps || lexicon.isCommonWord(lower))
    return { kind: 'word', given: 0, surname: 0 };
  return { kind: 'unknown', given: 0, surname: 0 };
}

/** Splits text into runs of name-candidate tokens separated by single spaces. */
export function nameTokenRuns(
  text: string,
  languages: readonly Language[],
  languageKey: string,
): NameToken[][] {
  const honorifics = honorificsFor(languages, languageKey);
  const runs: NameToken[][] = [];
  let run: NameToken[] = [];
  let previousEnd = -2;
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    let word = raw.endsWith('.') ? raw.slice(0, -1) : raw;
    const possessive = POSSESSIVE.test(word);
    if (possessive) word = word.slice(0, -2);
    const token = classify(word, raw, honorifics);
    const keepsDot = token.kind === 'honorific' || token.kind === 'initial';
    const start = match.index;
    const end = start + (keepsDot ? raw.length : word.length);
    const closesRun = possessive || (raw.endsWith('.') && !keepsDot);
    const adjacent = start === previousEnd + 1 && text.charCodeAt(previousEnd) === 32;
    if (!adjacent && run.length) {
      runs.push(run);
      run = [];
    }
    const shouting = word.length > 1 && word === word.toUpperCase();
    run.push({ start, end, closesRun, shouting, ...token });
    previousEnd = closesRun ? -2 : start + raw.length;
    if (closesRun) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}
