import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPhoneNumber } from './phone-number.ts';

const EVERY_REGION = ['US', 'GB', 'DE', 'AT', 'CH', 'FR', 'BE'] as const;

test('international numbers are validated against their own country, whatever the languages', () => {
  assert.deepEqual(checkPhoneNumber('+49 30 901820', ['US']), { region: 'DE', international: true });
  assert.deepEqual(checkPhoneNumber('0033 6 12 34 56 78', ['US']), { region: 'FR', international: true });
  assert.deepEqual(checkPhoneNumber('+1 (415) 555-2671', ['DE']), { region: 'US', international: true });
  assert.equal(checkPhoneNumber('+49 12', EVERY_REGION), undefined);
});

test('national numbers are validated per region of the languages given', () => {
  assert.equal(checkPhoneNumber('06 12 34 56 78', ['FR'])?.region, 'FR');
  assert.equal(checkPhoneNumber('0151 23456789', ['DE'])?.region, 'DE');
  assert.equal(checkPhoneNumber('(415) 555-2671', ['US'])?.region, 'US');
  assert.equal(checkPhoneNumber('020 7946 0321', ['GB'])?.region, 'GB');
  assert.equal(checkPhoneNumber('0151 23456789', ['US']), undefined, 'not a US number');
});

test('a European national number needs its trunk 0; a North American one ten digits', () => {
  assert.equal(checkPhoneNumber('151 23456789', ['DE']), undefined);
  assert.equal(checkPhoneNumber('415 555 267', ['US']), undefined);
});

test('dates, IPv4 addresses and words are never phone numbers', () => {
  assert.equal(checkPhoneNumber('2024-05-17', EVERY_REGION), undefined);
  assert.equal(checkPhoneNumber('12.03.1985', EVERY_REGION), undefined);
  assert.equal(checkPhoneNumber('192.168.100.200', EVERY_REGION), undefined);
  assert.equal(checkPhoneNumber('call me', EVERY_REGION), undefined);
});
