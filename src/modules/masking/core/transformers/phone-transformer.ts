import {
  getExampleNumber,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { DigestRandom } from '../digest-random.ts';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { TEXT_FAMILIES } from '../transformer.ts';
import { attemptPurpose, firstDifferent, fitLength } from './first-different.ts';
import { keyedToken } from './keyed-token-transformer.ts';

/**
 * A phone number valid for the source number's country (libphonenumber's full metadata), written
 * in the source's format: E.164 (`+4915123456789`), international (`+49 151 23456789`) or national
 * (`0151 23456789`). The first two digits of the national number are kept (the kind of line, and
 * roughly the region), the rest drawn from the keyed digest until the number is valid. A value
 * that is not a phone number gets a format-preserving keyed token instead.
 */
export const phoneTransformer: TransformerDefinition = {
  name: 'phone',
  leakCheck: 'anywhere',
  families: TEXT_FAMILIES,
  create(column: ColumnFacts, tools: TransformerTools): MaskValue {
    const random = new DigestRandom();
    const fallback = (value: string) => {
      random.reseed(tools.digest('phone', value));
      return keyedToken(value, random);
    };
    return (value) => {
      const parsed = parsePhoneNumberFromString(value, tools.defaultCountry as CountryCode);
      if (!parsed?.country) return fitLength(fallback(value), column.length);
      const country = parsed.country;
      const national = String(parsed.nationalNumber);
      return fitLength(
        firstDifferent(value, (attempt) => {
          random.reseed(tools.digest(attemptPurpose('phone', attempt), parsed.number));
          const number = validNumber(country, national, random) ?? exampleBased(country, random);
          return number ? written(number, value) : fallback(value);
        }),
        column.length,
      );
    };
  },
};

function validNumber(country: CountryCode, national: string, random: DigestRandom): PhoneNumber | undefined {
  const keep = national.slice(0, 2);
  for (let attempt = 0; attempt < 40; attempt++) {
    let digits = keep;
    while (digits.length < national.length) digits += String(random.below(10));
    const candidate = parsePhoneNumberFromString(digits, country);
    if (candidate?.isValid() && candidate.country === country) return candidate;
  }
  return undefined;
}

function exampleBased(country: CountryCode, random: DigestRandom): PhoneNumber | undefined {
  const example = getExampleNumber(country, examples as never);
  if (!example) return undefined;
  const national = String(example.nationalNumber);
  return validNumber(country, national, random);
}

function written(number: PhoneNumber, source: string): string {
  const trimmed = source.trim();
  if (trimmed.startsWith('+') && !/[\s().-]/.test(trimmed)) return number.number;
  if (trimmed.startsWith('+') || trimmed.startsWith('00')) return number.formatInternational();
  return number.formatNational();
}
