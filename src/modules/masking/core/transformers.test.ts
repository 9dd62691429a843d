import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidIBAN } from 'ibantools';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { stdnum } from 'stdnum';
import validator from 'validator';
import { createKeyedDigest } from './keyed-digest.ts';
import type { ColumnFacts, TransformerName } from './transformer.ts';
import { createColumnMasker } from './transformer-registry.ts';
import { luhnCheckDigit } from './transformers/card-number-transformer.ts';

const KEY = Buffer.from('a-masking-key-of-32-bytes-length');
const OTHER_KEY = Buffer.from('another-key-of-32-bytes-length!!');

function masker(name: TransformerName, facts: Partial<ColumnFacts> = {}, key = KEY, params = {}) {
  const column: ColumnFacts = {
    table: 'public.t',
    name: 'c',
    family: 'text',
    rawType: 'text',
    nullable: true,
    unique: false,
    ...facts,
  };
  return createColumnMasker(name, column, params, {
    digest: createKeyedDigest(key),
    locale: 'de',
    defaultCountry: 'DE',
  });
}

function luhnValid(digits: string): boolean {
  return luhnCheckDigit(digits.slice(0, -1)) === digits.at(-1);
}

describe('masking transformers', () => {
  it('are deterministic under one key, differ under another, and never return their input', () => {
    for (const name of ['email', 'full_name', 'phone', 'street_address', 'keyed_token', 'iban'] as const) {
      const value =
        name === 'iban'
          ? 'DE89370400440532013000'
          : name === 'phone'
            ? '+49 30 12345678'
            : 'ann.smith@example.net';
      const first = masker(name)(value);
      assert.equal(masker(name)(value), first, name);
      assert.notEqual(masker(name, {}, OTHER_KEY)(value), first, name);
      assert.notEqual(first?.toLowerCase(), value.toLowerCase(), name);
    }
  });

  it('writes valid e-mails on RFC 2606 domains, the same for case variants of one address but distinct in case', () => {
    const email = masker('email');
    const lower = email('ann.smith@gmail.com')!;
    const upper = email('Ann.Smith@Gmail.com')!;
    assert.ok(validator.isEmail(lower), lower);
    assert.match(lower, /@example\.(com|net|org)$/);
    assert.equal(upper.toLowerCase(), lower);
    assert.notEqual(upper, lower);
    const many = new Set(Array.from({ length: 5000 }, (_, i) => email(`user${i}@shop.test`)));
    assert.equal(many.size, 5000);
  });

  it('writes phone numbers valid for the source country in the source format', () => {
    const phone = masker('phone');
    const e164 = phone('+4915123456789')!;
    assert.match(e164, /^\+49\d+$/);
    assert.ok(isValidPhoneNumber(e164));
    const international = phone('+44 20 7946 0958')!;
    assert.match(international, /^\+44 /);
    assert.ok(isValidPhoneNumber(international));
    const national = phone('030 1234567')!;
    assert.match(national, /^0\d/);
    assert.ok(isValidPhoneNumber(national, 'DE'));
  });

  it('writes numbers valid for the source country itself where countries share a calling code', () => {
    const phone = masker('phone', {}, KEY);
    // libphonenumber's example numbers of Antigua, the US, Canada, the Isle of Man and Kazakhstan.
    const sources = [
      '+1 268 464 1234',
      '+1 (201) 555-0123',
      '+1 506 234 5678',
      '+44 7924 123456',
      '+7 771 000 9998',
    ];
    for (const source of sources) {
      const country = parsePhoneNumberFromString(source)!.country;
      for (let i = 0; i < 40; i++) {
        const variant = source.replace(/\d{2}$/, String(10 + i));
        assert.ok(isValidPhoneNumber(variant), variant);
        const masked = phone(variant)!;
        assert.equal(parsePhoneNumberFromString(masked)?.country, country, `${variant} → ${masked}`);
        assert.ok(isValidPhoneNumber(masked), masked);
        assert.equal(masked.replace(/\d/g, '#'), variant.replace(/\d/g, '#'));
      }
    }
  });

  it('masks IBANs to valid IBANs of the same country, and long decimal numbers to decimal numbers', () => {
    // Published example IBANs; German and Austrian BBANs are 16 or more digits, which once passed for hex.
    const ibans = [
      'DE89370400440532013000',
      'AT611904300234573201',
      'CH9300762011623852957',
      'ES9121000418450200051332',
      'FR1420041010050500013M02606',
      'IT60X0542811101000000123456',
      'NL91ABNA0417164300',
      'GB29NWBK60161331926819',
      'PL61109010140000071219812874',
    ];
    for (let k = 0; k < 25; k++) {
      const key = Buffer.from(`a-masking-key-of-32-bytes-len-${String(k).padStart(2, '0')}`);
      const iban = masker('iban', {}, key);
      for (const source of ibans) {
        const masked = iban(source)!;
        assert.ok(isValidIBAN(masked), `${source} → ${masked}`);
        assert.equal(masked.slice(0, 2), source.slice(0, 2));
        assert.equal(masked.length, source.length);
      }
      assert.match(masker('keyed_token', {}, key)('12345678901234567890')!, /^\d{20}$/);
      assert.match(masker('keyed_token', {}, key)('9f86d081884c7d659a2feaa0c55ad015')!, /^[0-9a-f]{32}$/);
    }
  });

  it('writes IBANs, card numbers and national IDs with valid check digits', () => {
    const iban = masker('iban')('DE89 3704 0044 0532 0130 00')!;
    assert.match(iban, /^DE\d\d( \d{4}){4} \d\d$/);
    assert.ok(isValidIBAN(iban.replace(/ /g, '')));
    const card = masker('card_number')('4111 1111 1111 1111')!;
    assert.match(card, /^4000 00\d\d( \d{4}){2}$/);
    assert.ok(luhnValid(card.replace(/ /g, '')));
    const taxId = masker('national_id')('36574261809')!;
    assert.notEqual(taxId, '36574261809');
    assert.ok(stdnum.DE!.idnr!.validate(taxId).isValid);
  });

  it('keeps a date of birth in its five-year age band and shifts other dates by at most the limit', () => {
    const born = masker('date_of_birth', { family: 'date' })('1987-06-15')!;
    assert.match(born, /^198[5-9]-\d\d-\d\d$/);
    const shifted = new Date(masker('date_shift', { family: 'date' }, KEY, { maxDays: 5 })('2024-03-01')!);
    assert.ok(Math.abs(shifted.getTime() - Date.parse('2024-03-01')) <= 5 * 86_400_000);
  });

  it('masks JSON at the given paths and keeps the rest of the document', () => {
    const json = masker('json', { family: 'json' }, KEY, {
      paths: { '$.contact.email': 'email', '$.tags[*]': 'keyed_token' },
    });
    const out = JSON.parse(
      json('{"contact":{"email":"ann@x.org","newsletter":true},"tags":["vip","ann"],"theme":"dark"}')!,
    );
    assert.match(out.contact.email, /@example\./);
    assert.equal(out.contact.newsletter, true);
    assert.equal(out.theme, 'dark');
    assert.equal(out.tags.length, 2);
    assert.notEqual(out.tags[1], 'ann');
  });

  it('keeps the shape of tokens and the digit count of numbers', () => {
    assert.match(masker('keyed_token')('AB-1234-x')!, /^[A-Z]{2}-\d{4}-[a-z]$/);
    assert.match(masker('keyed_token', { family: 'integer' })('90210')!, /^[1-9]\d{4}$/);
    assert.match(
      masker('keyed_token', { family: 'uuid' })('0b5a3a5e-7a35-4f55-9f1a-2b7b5d9c8e11')!,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('permutes integer keys among numbers of as many digits: no two ids collide', () => {
    const id = masker('keyed_id', { family: 'integer', rawType: 'integer' });
    const masked = Array.from({ length: 5000 }, (_, i) => Number(id(String(i + 1))));
    assert.equal(new Set(masked).size, 5000);
    assert.ok(
      masked.every((value, i) => Number.isInteger(value) && String(value).length === String(i + 1).length),
    );
    assert.equal(masker('keyed_id', { family: 'integer', rawType: 'smallint' })('-7')!.startsWith('-'), true);
  });

  it('drops free text without a PII detector: NULL, or empty in a NOT NULL column', () => {
    assert.equal(masker('free_text')('Call Ann on +49 30 1234567'), null);
    assert.equal(masker('free_text', { nullable: false })('Call Ann'), '');
  });
});
