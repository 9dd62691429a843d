import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { attemptPurpose, firstDifferent } from './first-different.ts';
import { keyedToken } from './keyed-token-transformer.ts';

/**
 * Issuer prefixes of the networks' published test card ranges, by the source's first digit, so a
 * masked card number can never be charged: 4 Visa, 5 and 2 Mastercard, 3 American Express,
 * 6 Discover. Other first digits keep the brand-less `999999` prefix.
 */
const TEST_PREFIXES: Record<string, string> = {
  '4': '400000',
  '5': '555555',
  '2': '222300',
  '3': '378282',
  '6': '601111',
};

/**
 * A Luhn-valid card number of the same length and grouping in the network's test range: the
 * middle digits come from the keyed digest, the last is the Luhn check digit (ISO/IEC 7812-1).
 */
export const cardNumberTransformer: TransformerDefinition = {
  name: 'card_number',
  leakCheck: 'anywhere',
  families: ['text', 'integer', 'decimal', 'other'],
  create(_column: ColumnFacts, tools: TransformerTools): MaskValue {
    const random = new DigestRandom();
    return (value) => {
      const digits = value.replace(/\D/g, '');
      return firstDifferent(value, (attempt) => {
        random.reseed(tools.digest(attemptPurpose('card_number', attempt), digits || value));
        if (digits.length < 12 || digits.length > 19) return keyedToken(value, random);
        const prefix = TEST_PREFIXES[digits[0]!] ?? '999999';
        let body = prefix;
        while (body.length < digits.length - 1) body += String(random.below(10));
        return inGroupingOf(value, body + luhnCheckDigit(body));
      });
    };
  },
};

/** The digit that makes `body + digit` pass the Luhn check. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

function inGroupingOf(source: string, digits: string): string {
  let next = 0;
  return source.replace(/\d/g, () => digits[next++]!);
}
