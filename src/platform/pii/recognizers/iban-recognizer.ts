import { checkIban, ibanLength } from '../validators/iban.ts';
import type { Recognizer } from './recognizer.ts';

const IBAN_START = /(?<![\p{L}\p{N}])([A-Z]{2})\d{2}(?= ?[A-Z0-9])/gu;

/** Where an IBAN of `length` characters starting at `start` ends, allowing single spaces between groups. */
function ibanEnd(text: string, start: number, length: number): number | undefined {
  let count = 0;
  let index = start;
  while (index < text.length && count < length) {
    const code = text.charCodeAt(index);
    const alphanumeric = (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
    if (alphanumeric) count++;
    else if (code !== 32 || text.charCodeAt(index + 1) === 32 || count === 0) break;
    index++;
  }
  if (count !== length) return undefined;
  // The IBAN must end at a word boundary, not run on into more letters or digits.
  const next = text.charCodeAt(index);
  return (next >= 48 && next <= 57) || (next >= 65 && next <= 90) || (next >= 97 && next <= 122)
    ? undefined
    : index;
}

export const ibanRecognizer: Recognizer = {
  types: ['iban'],
  mayMatch: (text) => /[A-Z]{2}\d{2}/.test(text),
  find(text, _scope, report) {
    for (const match of text.matchAll(IBAN_START)) {
      const length = ibanLength(match[1]!);
      if (!length) continue;
      const end = ibanEnd(text, match.index, length);
      if (end === undefined) continue;
      const iban = checkIban(text.slice(match.index, end));
      if (!iban) continue;
      // ISO 7064 mod-97 leaves a 1 in 97 chance for a random string of the right country format.
      const score = iban.nationalCheckDigits ? 0.95 : 0.8;
      report({ type: 'iban', start: match.index, end, score, detector: 'iban-mod97', subtype: iban.country });
    }
  },
};
