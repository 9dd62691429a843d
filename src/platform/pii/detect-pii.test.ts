import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { detectPii } from './detect-pii.ts';
import type { DetectOptions, PiiType } from './pii-types.ts';

/** What a user sees: each finding as [type, the text it covers]. */
function found(text: string, options?: DetectOptions): [PiiType, string][] {
  return detectPii(text, options).map((finding) => [finding.type, text.slice(finding.start, finding.end)]);
}

const scoreOf = (text: string, covered: string, options?: DetectOptions) =>
  detectPii(text, { minScore: 0, ...options }).find(
    (finding) => text.slice(finding.start, finding.end) === covered,
  )?.score;

test('an English support ticket', () => {
  const text =
    'Customer Siobhan Walsh (siobhan.walsh@example.ie) asked us to call +44 20 7946 0321; card 4111 1111 1111 1111.';
  assert.deepEqual(found(text, { languages: ['en'] }), [
    ['person_name', 'Siobhan Walsh'],
    ['email', 'siobhan.walsh@example.ie'],
    ['phone_number', '+44 20 7946 0321'],
    ['credit_card', '4111 1111 1111 1111'],
  ]);
});

test('a German letter', () => {
  const text =
    'Sehr geehrte Frau Müller,\nIhre Steuer-ID 36 574 261 809 und Ihr Geburtsdatum 12.03.1985 sind gespeichert.\nAnschrift: Hauptstraße 5a, 10115 Berlin';
  assert.deepEqual(found(text, { languages: ['de'] }), [
    ['person_name', 'Müller'],
    ['national_id', '36 574 261 809'],
    ['date_of_birth', '12.03.1985'],
    ['postal_address', 'Hauptstraße 5a, 10115 Berlin'],
  ]);
});

test('a French form', () => {
  const text =
    'Nom : Jean Dupont\nNé le 1er février 1990\nNIR : 2 95 10 99 126 111 93\nTél. 06 12 34 56 78\n12 rue de la Paix, 75002 Paris';
  assert.deepEqual(found(text, { languages: ['fr'] }), [
    ['person_name', 'Jean Dupont'],
    ['date_of_birth', '1er février 1990'],
    ['national_id', '2 95 10 99 126 111 93'],
    ['phone_number', '06 12 34 56 78'],
    ['postal_address', '12 rue de la Paix, 75002 Paris'],
  ]);
});

test('a log line: addresses of machines, not versions, ids or timestamps', () => {
  const text =
    '2024-05-01T12:00:00Z INFO login user=42 ip=203.0.113.7 mac=00:1a:2b:3c:4d:5e agent version 1.2.3.4 req=123e4567-e89b-12d3-a456-426614174000';
  assert.deepEqual(found(text), [
    ['ip_address', '203.0.113.7'],
    ['mac_address', '00:1a:2b:3c:4d:5e'],
  ]);
});

test('a context word raises a score: "tel" before a national number', () => {
  const bare = scoreOf('reference 030 901820 noted', '030 901820', { languages: ['de'] })!;
  const named = scoreOf('Telefon 030 901820 noted', '030 901820', { languages: ['de'] })!;
  assert.ok(named > bare, `${named} > ${bare}`);
});

test('"order number" lowers a Luhn-valid 16-digit number, which stays reported because it passes Luhn and IIN', () => {
  const card = scoreOf('Card 4111 1111 1111 1111 charged', '4111 1111 1111 1111')!;
  const order = scoreOf('Order number 4111 1111 1111 1111 shipped', '4111 1111 1111 1111')!;
  assert.ok(order < card, `${order} < ${card}`);
  assert.ok(order >= 0.5);
  // A Luhn-valid number outside every issuer range is a card only when a card word says so.
  assert.deepEqual(found('Order number 1234 5678 1234 5670 shipped'), []);
  assert.deepEqual(found('Card number 1234 5678 1234 5670'), [['credit_card', '1234 5678 1234 5670']]);
});

test('a checksum-valid 11-digit number is a German tax id only with its name nearby', () => {
  assert.deepEqual(found('Vorgang 36574261809 erledigt', { languages: ['de'] }), []);
  assert.deepEqual(found('Steuer-ID 36574261809 erfasst', { languages: ['de'] }), [
    ['national_id', '36574261809'],
  ]);
});

test('a date is personal only as a date of birth', () => {
  assert.deepEqual(found('The meeting is on March 3, 2025.'), []);
  assert.deepEqual(found('She was born on March 3, 1985.'), [['date_of_birth', 'March 3, 1985']]);
});

test('words that are also names are not names on their own', () => {
  assert.deepEqual(found('Will you mark the May report as done? We meet in Paris.'), []);
  assert.deepEqual(found('Dear Will, thanks.'), [['person_name', 'Will']]);
});

test('an honorific makes the following words a name, without the title', () => {
  assert.deepEqual(found('Mrs. Pemberton called; M. Kerbrat aussi; Herr Grewe ebenfalls.'), [
    ['person_name', 'Pemberton'],
    ['person_name', 'Kerbrat'],
    ['person_name', 'Grewe'],
  ]);
});

test('one finding per span: an address keeps the postcode and town inside it', () => {
  const findings = detectPii('Ship to 1600 Pennsylvania Avenue, Washington, DC 20500 today', { minScore: 0 });
  assert.equal(findings.filter((finding) => finding.type === 'postal_address').length, 1);
  for (const [index, finding] of findings.entries()) {
    const next = findings[index + 1];
    if (next) assert.ok(finding.end <= next.start, 'findings never overlap');
  }
});

test('types and minScore narrow the result', () => {
  const text = 'Anna Schmidt, anna@example.de, +49 30 901820';
  assert.deepEqual(found(text, { types: ['email', 'phone_number'] }), [
    ['email', 'anna@example.de'],
    ['phone_number', '+49 30 901820'],
  ]);
  assert.ok(detectPii(text, { minScore: 0.9 }).every((finding) => finding.score >= 0.9));
});

test('the same text and options always give the same findings', () => {
  const text =
    'Anna Schmidt, anna@example.de, +49 30 901820, DE89 3704 0044 0532 0130 00, 12 rue de la Paix 75002 Paris';
  assert.deepEqual(detectPii(text), detectPii(text));
  assert.deepEqual(detectPii(''), []);
});

test('bad options are refused with what to change', () => {
  const refused = (options: DetectOptions, code: string) =>
    assert.throws(
      () => detectPii('x', options),
      (error: unknown) => error instanceof InvalidInput && error.code === code,
    );
  refused({ languages: ['it' as 'en'] }, 'pii.invalid_language');
  refused({ languages: [] }, 'pii.invalid_language');
  refused({ types: ['ssn' as PiiType] }, 'pii.invalid_type');
  refused({ minScore: 2 }, 'pii.invalid_min_score');
  refused({ minScore: Number.NaN }, 'pii.invalid_min_score');
});

test('error messages name the option, never the text', () => {
  try {
    detectPii('jane@example.com', { types: ['ssn' as PiiType] });
    assert.fail('should refuse');
  } catch (error) {
    assert.ok(error instanceof InvalidInput);
    assert.ok(!error.message.includes('jane'));
  }
});
