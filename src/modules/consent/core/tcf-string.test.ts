import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { decodeTcString } from './tcf-string.ts';

test('a string the TCF decoder trips over is refused in plain words, never with the library’s TypeError', () => {
  // Found by decoding random strings: the first two made @iabtcf/core read a property of undefined.
  for (const garbled of ['mLBh', 'GSdhiY_bxfKx', 'pK0']) {
    assert.throws(
      () => decodeTcString(garbled),
      (error: unknown) =>
        error instanceof InvalidInput &&
        error.code === 'consent.tcf_invalid' &&
        error.message ===
          'The TC string is not a valid IAB TCF v2.2 string: it does not decode as a TC string (a truncated or altered copy?).',
    );
  }
});

test("the decoder's own reasons are kept, without its stray trailing space", () => {
  assert.throws(
    () => decodeTcString('not-a-tc-string!'),
    /^InvalidInput: The TC string is not a valid IAB TCF v2\.2 string: Invalidly encoded Base64URL string\.$/,
  );
  assert.throws(
    () => decodeTcString('CxoA5ja9kQOitT9Ds0N6JbXGJA1pyTk-HsHoHU0yl5hV2bCSUmjyQew'),
    (error: Error) => /passed for publisherCountryCode\.$/.test(error.message),
  );
});
