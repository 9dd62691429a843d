import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';
import { attemptPurpose, firstDifferent, fitLength } from './first-different.ts';
import { keyedToken } from './keyed-token-transformer.ts';

/** National digits kept from the source: the kind of line and, roughly, the region. */
const KEPT_DIGITS = 2;
/** Draws that must all validate before a (country, prefix, length) is trusted without checking each number. */
const TRUST_AFTER = 32;
const DRAWS = 40;

/**
 * A phone number valid for the source number's country (libphonenumber's full metadata), written
 * exactly as the source was — E.164 (`+4915123456789`), international (`+49 151 23456789`),
 * national (`0151 23456789`), with its spaces, dashes and brackets — because only digits are
 * replaced: the country code, trunk prefix and first two national digits are kept, the rest drawn
 * from the keyed digest until the number is valid. Once 32 draws for the same country, prefix and
 * length were all valid, later ones are trusted without the (costly) check. A value that is not a
 * phone number of a known country gets a format-preserving keyed token instead.
 */
export const phoneTransformer: TransformerDefinition = {
  name: 'phone',
  leakCheck: 'anywhere',
  families: TEXT_FAMILIES,
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const random = new DigestRandom();
    const validRuns = new Map<string, number>();
    return (value) => {
      const parsed = parsePhoneNumberFromString(value, tools.defaultCountry as CountryCode);
      const national = parsed?.country ? String(parsed.nationalNumber) : '';
      const digitCount = value.replace(/\D/g, '').length;
      const kept = digitCount - national.length + KEPT_DIGITS;
      if (!parsed?.country || national.length <= KEPT_DIGITS || kept <= 0) {
        return fitLength(keyedToken(value, random.reseed(tools.digest('phone', value))), column.length);
      }
      const country = parsed.country;
      const template = `${country}:${national.slice(0, KEPT_DIGITS)}:${national.length}`;
      return fitLength(
        firstDifferent(value, (attempt) => {
          random.reseed(tools.digest(attemptPurpose('phone', attempt), parsed.number));
          for (let draw = 0; draw < DRAWS; draw++) {
            const fill = Array.from({ length: national.length - KEPT_DIGITS }, () =>
              String(random.below(10)),
            ).join('');
            const trusted = (validRuns.get(template) ?? 0) >= TRUST_AFTER;
            if (
              trusted ||
              parsePhoneNumberFromString(national.slice(0, KEPT_DIGITS) + fill, country)?.isValid()
            ) {
              if (!trusted) validRuns.set(template, (validRuns.get(template) ?? 0) + 1);
              return withDigits(value, kept, fill);
            }
            validRuns.set(template, 0);
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
  let seen = 0;
  let next = 0;
  return source.replace(/\d/g, (digit) => (seen++ < kept ? digit : (fill[next++] ?? digit)));
}
