import { composeIBAN, electronicFormatIBAN, friendlyFormatIBAN, isValidIBAN } from 'ibantools';
import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';
import { attemptPurpose, firstDifferent, fitLength } from './first-different.ts';
import { keyedToken } from './keyed-token-transformer.ts';

/**
 * An IBAN of the same country and BBAN structure with valid ISO 13616 check digits and, where
 * ibantools knows them, valid national check digits: the BBAN is replaced format-preservingly
 * from the keyed digest until the whole IBAN validates. Written grouped (`DE89 3704 …`) when the
 * source was. A value that is not an IBAN gets a format-preserving keyed token.
 */
export const ibanTransformer: TransformerDefinition = {
  name: 'iban',
  leakCheck: 'anywhere',
  families: TEXT_FAMILIES,
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const random = new DigestRandom();
    return (value) => {
      const electronic = electronicFormatIBAN(value) ?? '';
      const valid = isValidIBAN(electronic);
      return fitLength(
        firstDifferent(value, (attempt) => {
          random.reseed(tools.digest(attemptPurpose('iban', attempt), valid ? electronic : value));
          if (!valid) return keyedToken(value, random);
          const country = electronic.slice(0, 2);
          for (let draw = 0; draw < 200; draw++) {
            const iban = composeIBAN({ countryCode: country, bban: keyedToken(electronic.slice(4), random) });
            if (iban && isValidIBAN(iban)) return /\s/.test(value) ? friendlyFormatIBAN(iban)! : iban;
          }
          return keyedToken(value, random);
        }),
        column.length,
      );
    };
  },
};
