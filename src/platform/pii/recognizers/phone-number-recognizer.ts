import { checkPhoneNumber, countDigits } from '../validators/phone-number.ts';
import type { Recognizer } from './recognizer.ts';

/**
 * Digit groups joined by single separators, an optional +country code or 00 prefix, an optional
 * "(0)" or "(area)" group. Two separators in a row (" / ") end a candidate, so "030 123 / 0171 456"
 * yields two numbers.
 */
const PHONE_CANDIDATE =
  /(?<![\w+@./-])(?:(?:\+|00)\d{1,3}[ .\-/]?)?(?:\(\d{1,5}\)[ .\-/]?)?\d{1,12}(?:[ .\-/]\(?\d{1,8}\)?){0,6}(?![\w@]|[.,\-/]\d)/g;

export const phoneNumberRecognizer: Recognizer = {
  types: ['phone_number'],
  mayMatch: (text) => /\d[\d ().\-/]{5,}\d/.test(text),
  find(text, scope, report) {
    for (const match of text.matchAll(PHONE_CANDIDATE)) {
      const candidate = match[0];
      const digits = countDigits(candidate);
      if (digits < 7 || digits > 15) continue;
      const phone = checkPhoneNumber(candidate, scope.phoneRegions);
      if (!phone) continue;
      // With a country code it can only be a phone number; a national one may be any other number.
      const score = phone.international ? 0.75 : candidate.length === digits ? 0.45 : 0.55;
      report({
        type: 'phone_number',
        start: match.index,
        end: match.index + candidate.length,
        score,
        detector: 'phone-libphonenumber',
        subtype: phone.region,
      });
    }
  },
};
