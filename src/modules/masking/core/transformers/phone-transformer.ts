import type { CountryCode } from 'libphonenumber-js/max';
import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';
import { attemptPurpose, firstDifferent, fitLength } from './first-different.ts';
import { keyedToken } from './keyed-token-transformer.ts';
import { parsePhone } from './phone-parse.ts';
import { phoneValidity } from './phone-validity.ts';

/** National digits kept from the source: the kind of line and, roughly, the region. */
const KEPT_DIGITS = 2;
const DRAWS = 40;

/**
 * A phone number valid for the source number's country (libphonenumber's full metadata), written
 * exactly as the source was — E.164 (`+4915123456789`), international (`+49 151 23456789`),
 * national (`0151 23456789`), with its spaces, dashes and brackets — because only digits are
 * replaced: the country code, trunk prefix and first two national digits are kept, the rest drawn
 * from the keyed digest until the national number is valid for that country (its patterns
 * compiled once, phone-validity.ts). Each value's output depends on the key and the value alone.
 * A value that is not a phone number of a known country gets a format-preserving keyed token.
 */
export const phoneTransformer: TransformerDefinition = {
  name: 'phone',
  leakCheck: 'anywhere',
  families: TEXT_FAMILIES,
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const random = new DigestRandom();
    return (value) => {
      const parsed = parsePhone(value, tools.defaultCountry as CountryCode);
      const national = parsed?.country ? String(parsed.nationalNumber) : '';
      const digitCount = value.replace(/\D/g, '').length;
      const kept = digitCount - national.length + KEPT_DIGITS;
      if (!parsed?.country || national.length <= KEPT_DIGITS || kept <= 0) {
        return fitLength(keyedToken(value, random.reseed(tools.digest('phone', value))), column.length);
      }
      const valid = phoneValidity(parsed.country);
      return fitLength(
        firstDifferent(value, (attempt) => {
          random.reseed(tools.digest(attemptPurpose('phone', attempt), parsed.number));
          // A small country's ranges may be narrow (Antigua within the +1 plan): keep more digits of a valid
          // source until draws land (with all but one kept, some draw is valid: the source's own digit is).
          const longest = valid(national) ? national.length - 1 : KEPT_DIGITS;
          for (let keptNational = KEPT_DIGITS; keptNational <= longest; keptNational++) {
            const prefix = national.slice(0, keptNational);
            for (let draw = 0; draw < DRAWS; draw++) {
              let fill = '';
              for (let i = keptNational; i < national.length; i++) fill += random.below(10);
              if (valid(prefix + fill)) return withDigits(value, kept - KEPT_DIGITS + keptNational, fill);
            }
          }
          return keyedToken(value, random);
        }),
        column.length,
      );
    };
  },
};

/** The source with every digit after the first `kept` replaced, in order, by `fill`. */
function withDigits(source: string, kept: number, fill: string): string {
  let output = '';
  let copiedTo = 0;
  let seen = 0;
  let next = 0;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code < 48 || code > 57 || seen++ < kept || next >= fill.length) continue;
    output += source.slice(copiedTo, i) + fill[next++];
    copiedTo = i + 1;
  }
  return output + source.slice(copiedTo);
}
