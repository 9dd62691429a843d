import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { classifyValue } from './classify-value.ts';

const best = (value: string, languages?: ('en' | 'de' | 'fr')[]) =>
  classifyValue(value, languages ? { languages } : undefined)[0];

test('each kind of whole value is recognised by its validator, with a subtype where one exists', () => {
  const cases: [string, string, string, string?][] = [
    ['jane.doe@example.com', 'email', 'email-validator'],
    ['+49 30 901820', 'phone_number', 'phone-libphonenumber', 'DE'],
    ['203.0.113.7', 'ip_address', 'ip-node-net', 'v4'],
    ['2001:db8::1', 'ip_address', 'ip-node-net', 'v6'],
    ['00:1a:2b:3c:4d:5e', 'mac_address', 'mac-pattern'],
    ['DE89 3704 0044 0532 0130 00', 'iban', 'iban-mod97', 'DE'],
    ['4111 1111 1111 1111', 'credit_card', 'luhn-iin', 'visa'],
    ['2 95 10 99 126 111 93', 'national_id', 'stdnum:fr.nir', 'fr.nir'],
    ['RCCMNL83S18D969H', 'national_id', 'stdnum:it.codicefiscale', 'it.codicefiscale'],
    ['SW1A 1AA', 'postal_code', 'postal-code-format', 'GB'],
    ['https://social.example.com/u/jane', 'url', 'url-validator'],
    ['Hauptstraße 5, 10115 Berlin', 'postal_address', 'address-de'],
    ['12 rue de la Paix, 75002 Paris', 'postal_address', 'address-fr'],
    ['350 Fifth Avenue, New York, NY 10118', 'postal_address', 'address-en'],
    ['Anna Schmidt', 'person_name', 'name-given+surname'],
  ];
  for (const [value, type, validator, subtype] of cases) {
    const match = best(value);
    assert.equal(match?.type, type, value);
    assert.equal(match?.validator, validator, value);
    if (subtype) assert.equal(match?.subtype, subtype, value);
  }
});

test('a column of first names or birth dates passes, with scores that leave the decision to the column', () => {
  assert.deepEqual(best('Jennifer'), { type: 'person_name', score: 0.6, validator: 'name-given' });
  assert.deepEqual(best('1985-03-12'), {
    type: 'date_of_birth',
    score: 0.4,
    validator: 'date-plausible-birth',
  });
  assert.equal(best('10115')?.type, 'postal_code');
  assert.ok(best('10115')!.score < 0.5, 'five digits alone are a weak postcode');
});

test('near misses and ordinary values match nothing', () => {
  for (const value of [
    '4111 1111 1111 1112',
    'DE89 3704 0044 0532 0130 01',
    'ORD-2024-00017',
    '1.2.3',
    '3f2b8c1e-9d4a-4f6b-8e2a-7c1d0e5f9a3b',
    '2024-05-17T10:00:00Z',
    'Monday',
    'hello world',
    'Will',
    '',
    '   ',
  ]) {
    assert.deepEqual(classifyValue(value), [], value);
  }
});

test('one match per type, best first; an ambiguous value lists every reading', () => {
  const matches = classifyValue('536-90-4399');
  assert.equal(matches[0]?.type, 'national_id');
  assert.equal(new Set(matches.map((match) => match.type)).size, matches.length);
});

test('languages choose the phone regions tried for national numbers', () => {
  assert.equal(best('06 12 34 56 78', ['fr'])?.subtype, 'FR');
  assert.equal(best('06 12 34 56 78', ['en']), undefined);
});

test('an unknown language is refused with what to use instead', () => {
  assert.throws(
    () => classifyValue('x', { languages: ['es' as 'en'] }),
    (error: unknown) =>
      error instanceof InvalidInput &&
      error.code === 'pii.invalid_language' &&
      /en, de, fr/.test(error.message),
  );
});

test('values longer than a cell are left to free-text detection', () => {
  assert.deepEqual(classifyValue(`jane@example.com ${'x'.repeat(600)}`), []);
});

test('the cheap rejections before the validators keep every value at the edge of what they admit', () => {
  // Postcodes: the gate admits 2 to 10 characters with a digit — the longest and shortest formats pass.
  const postal = (value: string) => classifyValue(value).find((m) => m.type === 'postal_code')?.subtype;
  assert.equal(postal('12345-6789'), 'US');
  assert.equal(postal('GIR 0AA'), 'GB');
  assert.equal(postal('W1 1AA'), 'GB');
  assert.equal(postal('1234'), 'AT');
  assert.equal(postal('123456-7890'), undefined);
  // Names: the gate asks for an upper-case letter anywhere, not only at the start (a particle first).
  assert.equal(best('de la Cruz')?.type, 'person_name');
  assert.equal(best('Élodie Dupont')?.type, 'person_name');
  assert.equal(best('anna schmidt'), undefined);
});
