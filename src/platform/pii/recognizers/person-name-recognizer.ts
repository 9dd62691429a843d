import type { NameToken } from './name-tokens.ts';
import { nameTokenRuns } from './name-tokens.ts';
import { nameSpansInRun } from './person-name-scoring.ts';
import type { Recognizer } from './recognizer.ts';

/** A greeting right before a lone capitalised word: "Hi Shad,", "Salut Béranger", "Liebe Mireya". */
const GREETING_BEFORE =
  /(?:^|[\s,.!;:])(?:hi|hey|hello|dear|hallo|liebe|lieber|moin|servus|bonjour|salut|coucou|cher|chère|merci|thanks|danke) $/iu;
/** …followed by the end of the salutation. */
const SALUTATION_END = /^(?:\s*[,!:]|\s*$|\s*\n)/u;

/** A word that the lexicon does not know, or knows as an ordinary word too, named in a greeting. */
function isGreeted(text: string, token: NameToken): boolean {
  if (token.shouting || (token.kind !== 'unknown' && token.kind !== 'name')) return false;
  if (!GREETING_BEFORE.test(text.slice(Math.max(0, token.start - 10), token.start))) return false;
  return SALUTATION_END.test(text.slice(token.end, token.end + 3));
}

export const personNameRecognizer: Recognizer = {
  types: ['person_name'],
  mayMatch: (text) => /\p{Lu}/u.test(text),
  find(text, scope, report) {
    for (const run of nameTokenRuns(text, scope.languages, scope.languageKey)) {
      const spans = nameSpansInRun(run);
      for (const span of spans) {
        report({
          type: 'person_name',
          start: span.start,
          end: span.end,
          score: span.score,
          detector: `name-${span.evidence}`,
        });
      }
      for (const token of run) {
        if (
          spans.some((span) => span.start <= token.start && token.end <= span.end) ||
          !isGreeted(text, token)
        )
          continue;
        // The greeting itself is a context word, which lifts this above the default bar.
        report({
          type: 'person_name',
          start: token.start,
          end: token.end,
          score: 0.35,
          detector: 'name-greeting',
        });
      }
    }
  },
};
