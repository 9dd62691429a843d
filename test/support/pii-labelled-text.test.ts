import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInput } from '../../src/kernel/errors/domain-error.ts';
import { parseLabelledLine } from './pii-labelled-text.ts';

test('marks become spans over the text without the marks, line breaks included', () => {
  const parsed = parseLabelledLine('de| Hallo [[person_name:Anna]],\\nPLZ [[postal_code:10115]].', 'inline');
  assert.equal(parsed.language, 'de');
  assert.equal(parsed.text, 'Hallo Anna,\nPLZ 10115.');
  assert.deepEqual(
    parsed.spans.map((span) => [span.type, parsed.text.slice(span.start, span.end)]),
    [
      ['person_name', 'Anna'],
      ['postal_code', '10115'],
    ],
  );
});

test('a line without marks is a hard negative', () => {
  assert.deepEqual(parseLabelledLine('en| Order 4711 shipped.', 'inline').spans, []);
});

test('a bad language or type is refused with where it is', () => {
  assert.throws(
    () => parseLabelledLine('xx| text', 'file.txt:3'),
    (error: unknown) => error instanceof InvalidInput && error.message.startsWith('file.txt:3'),
  );
  assert.throws(
    () => parseLabelledLine('en| [[ssn:123]]', 'file.txt:4'),
    (error: unknown) => error instanceof InvalidInput && /unknown type "ssn"/.test(error.message),
  );
});
