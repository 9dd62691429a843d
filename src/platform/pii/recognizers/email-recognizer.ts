import { isEmailAddress } from '../validators/email.ts';
import type { Recognizer } from './recognizer.ts';

const EMAIL_CANDIDATE =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,24}(?![\p{L}\p{N}-])/gu;

export const emailRecognizer: Recognizer = {
  types: ['email'],
  mayMatch: (text) => text.includes('@'),
  find(text, _scope, report) {
    for (const match of text.matchAll(EMAIL_CANDIDATE)) {
      if (!isEmailAddress(match[0])) continue;
      report({
        type: 'email',
        start: match.index,
        end: match.index + match[0].length,
        score: 0.95,
        detector: 'email-validator',
      });
    }
  },
};
