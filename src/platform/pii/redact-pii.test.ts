import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactPii } from './redact-pii.ts';

test('every finding is replaced by its type and everything else is kept byte for byte', () => {
  const text = 'Ticket 4471: Anna Schmidt <anna.schmidt@example.de> called from +49 30 901820 at 10:15.';
  assert.equal(redactPii(text), 'Ticket 4471: <PERSON_NAME> <<EMAIL>> called from <PHONE_NUMBER> at 10:15.');
});

test('a custom replacement sees each finding and its original text', () => {
  const text = 'IBAN DE89 3704 0044 0532 0130 00, mail ops@example.com';
  const masked = redactPii(text, (finding, original) => `[${finding.type}:${original.length}]`);
  assert.equal(masked, 'IBAN [iban:27], mail [email:15]');
});

test('options narrow what is redacted', () => {
  const text = 'Anna Schmidt, anna@example.de';
  assert.equal(redactPii(text, undefined, { types: ['email'] }), 'Anna Schmidt, <EMAIL>');
});

test('text without personal data comes back unchanged', () => {
  const text =
    'Release 2.14.3 deployed on 2024-05-17 to 12 hosts (request 3f2b8c1e-9d4a-4f6b-8e2a-7c1d0e5f9a3b).';
  assert.equal(redactPii(text), text);
});
