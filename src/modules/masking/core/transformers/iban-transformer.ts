import { electronicFormatIBAN, friendlyFormatIBAN, getCountrySpecifications, isValidBBAN } from 'ibantools';
import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';
import { attemptPurpose, firstDifferent, fitLength } from './first-different.ts';
import { keyedToken } from './keyed-token-transformer.ts';

/** Enough draws that a BBAN with two national check digits fails all of them about once in 10^9 values. */
const DRAWS = 2000;

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
      const valid = isValidIban(electronic);
      return fitLength(
        firstDifferent(value, (attempt) => {
          random.reseed(tools.digest(attemptPurpose('iban', attempt), valid ? electronic : value));
          if (!valid) return keyedToken(value, random);
          const country = electronic.slice(0, 2);
          // National check digits (Spain, France, Belgium, Portugal: one draw in ~100 passes) may take many draws.
          for (let draw = 0; draw < DRAWS; draw++) {
            // The BBAN keeps the source's letters and digits in place (upper case, no separators), so
            // ibantools' composeIBAN-then-isValidIBAN comes down to the BBAN's own validity (length,
            // format, national check digits): the ISO 7064 check digits are computed to pass.
            const bban = keyedToken(electronic.slice(4), random);
            if (!isValidBBAN(bban, country)) continue;
            const iban = `${country}${checkDigits(country, bban)}${bban}`;
            return /\s/.test(value) ? friendlyFormatIBAN(iban)! : iban;
          }
          return keyedToken(value, random);
        }),
        column.length,
      );
    };
  },
};

/** ISO 13616 check digits: 98 minus (BBAN, country, 00 read as a number, letters as 10–35) mod 97, two digits. */
function checkDigits(country: string, bban: string): string {
  const digits = `${bban}${country}00`;
  let remainder = 0;
  for (let i = 0; i < digits.length; i++) {
    const code = digits.charCodeAt(i);
    remainder = code >= 65 ? (remainder * 100 + code - 55) % 97 : (remainder * 10 + code - 48) % 97;
  }
  return String(98 - remainder).padStart(2, '0');
}

const SPECS = getCountrySpecifications();

/**
 * ibantools' isValidIBAN for an electronic-format IBAN, in the same order of checks (length,
 * two check digits, the BBAN's format and national check digits, then ISO 7064 mod 97) but with
 * the check digits computed as they are for masked IBANs rather than by string arithmetic.
 */
function isValidIban(electronic: string): boolean {
  const country = electronic.slice(0, 2);
  const spec = Object.hasOwn(SPECS, country) ? SPECS[country] : undefined;
  if (!spec?.bban_regexp || !spec.chars) return false;
  const bban = electronic.slice(4);
  return (
    spec.chars === electronic.length &&
    /^[0-9]{2}$/.test(electronic.slice(2, 4)) &&
    isValidBBAN(bban, country) &&
    checkDigits(country, bban) === electronic.slice(2, 4)
  );
}
