import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkIban, ibanLength } from './iban.ts';

test('valid IBANs of several countries pass, printed or electronic', () => {
  assert.deepEqual(checkIban('DE89 3704 0044 0532 0130 00'), { country: 'DE', nationalCheckDigits: true });
  assert.deepEqual(checkIban('GB29NWBK60161331926819'), { country: 'GB', nationalCheckDigits: true });
  assert.deepEqual(checkIban('FR14 2004 1010 0505 0001 3M02 606'), {
    country: 'FR',
    nationalCheckDigits: true,
  });
  assert.deepEqual(checkIban('NL91ABNA0417164300'), { country: 'NL', nationalCheckDigits: true });
});

test('a wrong mod-97 check, length or country is no IBAN', () => {
  assert.equal(checkIban('DE89 3704 0044 0532 0130 01'), undefined);
  assert.equal(checkIban('DE89 3704 0044 0532 0130'), undefined);
  assert.equal(checkIban('XX89 3704 0044 0532 0130 00'), undefined);
  assert.equal(checkIban('not an iban'), undefined);
});

test('mod-97 right but the French RIB key wrong: still an account number, flagged as such', () => {
  // Generated the way test-data tools do: IBAN check digits computed, the bank's RIB key random.
  const result = checkIban('FR3881803070028286114776563');
  assert.deepEqual(result, { country: 'FR', nationalCheckDigits: false });
});

test('each country has its IBAN length', () => {
  assert.equal(ibanLength('DE'), 22);
  assert.equal(ibanLength('FR'), 27);
  assert.equal(ibanLength('US'), undefined);
});
