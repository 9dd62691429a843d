import type { Recognizer } from './recognizer.ts';

/** UK postcodes are distinctive on their own; 5-digit codes (DE, FR, US) need a word like "PLZ" or "zip". */
const UK_POSTCODE = /(?<![\p{L}\p{N}])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?\d[A-Z]{2}(?![\p{L}\p{N}])/gu;
const FIVE_DIGIT_CODE = /(?<![\p{L}\p{N}.,:/-])(?:(?:D|F)-)?\d{5}(?:-\d{4})?(?![\p{L}\p{N}]|[.,:/-]\d)/gu;

export const postalCodeRecognizer: Recognizer = {
  types: ['postal_code'],
  mayMatch: (text) => /\d/.test(text),
  find(text, scope, report) {
    if (scope.languages.includes('en')) {
      for (const match of text.matchAll(UK_POSTCODE)) {
        report({
          type: 'postal_code',
          start: match.index,
          end: match.index + match[0].length,
          score: 0.5,
          detector: 'postcode-uk',
          subtype: 'GB',
        });
      }
    }
    for (const match of text.matchAll(FIVE_DIGIT_CODE)) {
      // Most 5-digit numbers are not postcodes: reported low, context ("PLZ", "zip") lifts them.
      const score = match[0].includes('-') ? 0.4 : 0.25;
      report({
        type: 'postal_code',
        start: match.index,
        end: match.index + match[0].length,
        score,
        detector: 'postcode-5-digit',
      });
    }
  },
};
