import { hasContextWord } from '../context/context-scorer.ts';
import { wholeWordPattern } from '../context/word-pattern.ts';
import { NATIONAL_ID_KINDS } from '../validators/national-id.ts';
import type { Recognizer } from './recognizer.ts';

/** A word naming this very identifier ("Steuer-ID", "NIR") makes a checksum-valid candidate near certain. */
const SPECIFIC_CONTEXT_RAISE = 0.45;

const kinds = NATIONAL_ID_KINDS.map((kind) => ({ kind, context: wholeWordPattern(kind.contextWords)! }));

export const nationalIdRecognizer: Recognizer = {
  types: ['national_id'],
  mayMatch: (text) => /\d{2}/.test(text),
  find(text, _scope, report) {
    for (const { kind, context } of kinds) {
      for (const match of text.matchAll(kind.pattern)) {
        if (!kind.isValid(match[0].toUpperCase())) continue;
        const start = match.index;
        const end = start + match[0].length;
        const specific = hasContextWord(text, start, end, context);
        const score = Math.min(1, kind.baseScore + (specific ? SPECIFIC_CONTEXT_RAISE : 0));
        report({
          type: 'national_id',
          start,
          end,
          score,
          detector: `stdnum-${kind.subtype}`,
          subtype: kind.subtype,
        });
      }
    }
  },
};
