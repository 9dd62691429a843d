import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cardBrand, checkCardNumber, passesLuhn } from './credit-card.ts';

test('Luhn accepts the check digit every card carries and rejects any single-digit change', () => {
  assert.equal(passesLuhn('4111111111111111'), true);
  assert.equal(passesLuhn('4111111111111112'), false);
  assert.equal(passesLuhn('378282246310005'), true);
  assert.equal(passesLuhn('378282246310006'), false);
  assert.equal(passesLuhn('41111x1111111111'), false);
});

test('the brand comes from the IIN range and the length', () => {
  assert.equal(cardBrand('4111111111111111'), 'visa');
  assert.equal(cardBrand('5555555555554444'), 'mastercard');
  assert.equal(cardBrand('2221000000000009'), 'mastercard');
  assert.equal(cardBrand('378282246310005'), 'amex');
  assert.equal(cardBrand('6011111111111117'), 'discover');
  assert.equal(cardBrand('3530111333300000'), 'jcb');
  // An American Express prefix with sixteen digits is no American Express card.
  assert.equal(cardBrand('3782822463100051'), undefined);
  assert.equal(cardBrand('1234567812345670'), undefined);
});

test('a whole value may be written solid or grouped by spaces or dashes', () => {
  assert.deepEqual(checkCardNumber('4111 1111 1111 1111'), { luhn: true, brand: 'visa' });
  assert.deepEqual(checkCardNumber('4111-1111-1111-1111'), { luhn: true, brand: 'visa' });
  assert.deepEqual(checkCardNumber('3782 822463 10005'), { luhn: true, brand: 'amex' });
  assert.deepEqual(checkCardNumber('4111 1111 1111 1112'), { luhn: false, brand: 'visa' });
  assert.equal(checkCardNumber('0000 0000 0000 0000'), undefined, 'a run of one digit is filler');
  assert.equal(checkCardNumber('4111 1111'), undefined, 'too short');
  assert.equal(checkCardNumber('card 4111111111111111'), undefined, 'not a whole card value');
});
