import { nameTokenRuns } from './name-tokens.ts';
import { nameSpansInRun } from './person-name-scoring.ts';
import type { Recognizer } from './recognizer.ts';

export const personNameRecognizer: Recognizer = {
  types: ['person_name'],
  mayMatch: (text) => /\p{Lu}/u.test(text),
  find(text, scope, report) {
    for (const run of nameTokenRuns(text, scope.languages, scope.languageKey)) {
      for (const span of nameSpansInRun(run)) {
        report({
          type: 'person_name',
          start: span.start,
          end: span.end,
          score: span.score,
          detector: `name-${span.evidence}`,
        });
      }
    }
  },
};
