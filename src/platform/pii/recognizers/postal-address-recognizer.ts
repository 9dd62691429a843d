import type { Recognizer } from './recognizer.ts';
import { STREET_PATTERNS } from './street-patterns.ts';

export const postalAddressRecognizer: Recognizer = {
  types: ['postal_address'],
  mayMatch: (text) => /\d/.test(text),
  find(text, scope, report) {
    for (const language of scope.languages) {
      for (const match of text.matchAll(STREET_PATTERNS[language])) {
        // A street with a house number is an address; with its postcode and town it is certain.
        // English street suffixes are also ordinary words ("3 Apple Park"), so a bare street line scores lower.
        const score =
          match.groups?.town || match.groups?.townAfterAnyStreet ? 0.95 : language === 'en' ? 0.75 : 0.85;
        const end = match.index + match[0].replace(/[\s,.]+$/, '').length;
        report({ type: 'postal_address', start: match.index, end, score, detector: `address-${language}` });
      }
    }
  },
};
