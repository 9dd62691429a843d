import { cardBrand, passesLuhn } from '../validators/credit-card.ts';
import type { Recognizer } from './recognizer.ts';

/** 12–19 digits, written solid or in groups separated by single spaces or dashes (4-4-4-4, 4-6-5 …). */
const CARD_CANDIDATE = /(?<![\w.,-])\d{4}(?:[ -]?\d{2,6}){2,4}(?![\w]|[.,-]\d)/g;

export const creditCardRecognizer: Recognizer = {
  types: ['credit_card'],
  mayMatch: (text) => /\d{4}/.test(text),
  find(text, _scope, report) {
    for (const match of text.matchAll(CARD_CANDIDATE)) {
      const digits = match[0].replace(/[ -]/g, '');
      if (digits.length < 12 || digits.length > 19 || /^(\d)\1+$/.test(digits) || !passesLuhn(digits))
        continue;
      const brand = cardBrand(digits);
      // Luhn passes for 1 in 10 random numbers; a known issuer range and length make it a card.
      const score = brand ? 0.9 : 0.35;
      const finding = {
        type: 'credit_card' as const,
        start: match.index,
        end: match.index + match[0].length,
        score,
        detector: 'card-luhn-iin',
      };
      report(brand ? { ...finding, subtype: brand } : finding);
    }
  },
};
