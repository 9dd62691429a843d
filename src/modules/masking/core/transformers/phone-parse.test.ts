import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { parsePhone } from './phone-parse.ts';

function asLibphonenumberParses(value: string, country: CountryCode) {
  const parsed = parsePhoneNumberFromString(value, country);
  return (
    parsed && {
      country: parsed.country,
      nationalNumber: String(parsed.nationalNumber),
      number: String(parsed.number),
    }
  );
}

describe('phone numbers parsed for masking', () => {
  it('come out as libphonenumber parses them, E.164 numbers of every calling code included', () => {
    const callingCodes = Object.keys(
      (
        new Metadata() as unknown as { countryCallingCodes(): Record<string, string[]> }
      ).countryCallingCodes(),
    );
    assert.ok(callingCodes.length > 200);
    let seed = 1;
    const digit = () => ((seed = (seed * 48271) % 2147483647) % 10).toString();
    let compared = 0;
    for (const code of [...callingCodes, '800', '882', '0', '99']) {
      for (let length = 1; length <= 18; length++) {
        // Random national numbers, and ones that begin like a national prefix (0, 8, 1, 06…).
        for (const start of ['', '0', '8', '1', '06', '00', '9']) {
          let national = start;
          while (national.length < length) national += digit();
          const value = `+${code}${national.slice(0, length)}`;
          for (const country of ['DE', 'US'] as const) {
            assert.deepEqual(parsePhone(value, country), asLibphonenumberParses(value, country), value);
            compared++;
          }
        }
      }
    }
    assert.ok(compared > 50_000);
    // Other writings go to libphonenumber as they are.
    for (const value of [
      '+49 30 1234567',
      '030 1234567',
      '+4930-1234567',
      '0049301234567',
      'tel:+49301234567',
      '+۴۹۳۰۱۲۳۴۵۶۷',
    ])
      assert.deepEqual(parsePhone(value, 'DE'), asLibphonenumberParses(value, 'DE'), value);
  });
});
