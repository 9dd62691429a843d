import type { NameToken } from './name-tokens.ts';

export interface NameSpan {
  start: number;
  end: number;
  score: number;
  evidence: 'honorific' | 'given+surname' | 'surname+given' | 'given' | 'surname' | 'unknown';
}

const MAX_NAME_TOKENS = 4;

/** Tokens that can continue a name: middle names, initials, particles before a capital, unknown capitalised words. */
function continues(token: NameToken | undefined, next: NameToken | undefined): boolean {
  if (!token) return false;
  if (token.kind === 'particle')
    return next !== undefined && (next.kind === 'name' || next.kind === 'unknown');
  return token.kind === 'name' || token.kind === 'initial' || token.kind === 'unknown';
}

function extent(run: NameToken[], from: number): number {
  let to = from;
  while (to + 1 < run.length && to + 1 - from < MAX_NAME_TOKENS && continues(run[to + 1], run[to + 2])) to++;
  // A name never ends on a particle or an initial alone after the first token.
  while (to > from && run[to]!.kind === 'particle') to--;
  return to;
}

/**
 * Scores a name starting at run[from] (after any honorific) by what the lexicon says about its first
 * and last tokens: a known given name followed by a known surname is near certain; a given name alone
 * or a word that is also an ordinary word needs context.
 */
function scoreAt(run: NameToken[], from: number, to: number, afterHonorific: boolean): NameSpan | undefined {
  const first = run[from]!;
  const last = run[to]!;
  const span = { start: first.start, end: last.end };
  if (afterHonorific) {
    if (first.kind === 'word' || first.kind === 'particle') return undefined;
    return { ...span, score: 0.85, evidence: 'honorific' };
  }
  if (first.kind !== 'name' && first.kind !== 'unknown') return undefined;
  if (to === from) {
    if (first.shouting) return undefined;
    if (first.given === 2) return { ...span, score: 0.45, evidence: 'given' };
    if (first.surname === 2) return { ...span, score: 0.25, evidence: 'surname' };
    return undefined;
  }
  const lastSurname = Math.max(last.surname, last.given > 0 ? 1 : 0);
  const lastUnknown = last.kind === 'unknown' || last.kind === 'initial';
  if (first.given === 2) {
    const score = lastSurname === 2 ? 0.85 : lastSurname === 1 || lastUnknown ? 0.7 : 0.45;
    return { ...span, score, evidence: 'given+surname' };
  }
  if (first.given === 1) {
    const score = lastSurname === 2 ? 0.7 : lastSurname === 1 ? 0.5 : 0.35;
    return { ...span, score, evidence: 'given+surname' };
  }
  if (first.surname === 2 && last.given === 2 && to === from + 1)
    return { ...span, score: 0.7, evidence: 'surname+given' };
  if (first.kind === 'unknown' && lastSurname >= 1) {
    return { ...span, score: lastSurname === 2 ? 0.55 : 0.45, evidence: 'given+surname' };
  }
  if (first.surname >= 1 && lastSurname === 2) return { ...span, score: 0.5, evidence: 'given+surname' };
  // Two capitalised words the lexicon does not know ("Nkechi Okafor"): a name only with context.
  if (first.kind === 'unknown' && last.kind === 'unknown' && !first.shouting && !last.shouting) {
    return { ...span, score: 0.25, evidence: 'unknown' };
  }
  return undefined;
}

/** Every name-like span of one run of capitalised tokens, left to right, without overlaps. */
export function nameSpansInRun(run: NameToken[]): NameSpan[] {
  const spans: NameSpan[] = [];
  let index = 0;
  while (index < run.length) {
    let afterHonorific = false;
    while (index < run.length && run[index]!.kind === 'honorific') {
      afterHonorific = true;
      index++;
    }
    if (index >= run.length) break;
    // "Kundin Anna Schmidt", "Yesterday John Smith": the name starts at the known given name.
    const current = run[index]!;
    const leadsAName = (current.kind === 'name' || current.kind === 'unknown') && index + 2 >= run.length;
    if (
      !afterHonorific &&
      !leadsAName &&
      current.given < 2 &&
      current.surname < 2 &&
      run[index + 1]?.given === 2
    )
      index++;
    const to = extent(run, index);
    const span = scoreAt(run, index, to, afterHonorific);
    if (span) {
      spans.push(span);
      index = to + 1;
    } else index++;
  }
  return spans;
}
