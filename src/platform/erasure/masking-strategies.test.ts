import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldMask } from '../../modules/dsr/core/planning/dsr-plan.ts';
import { createMasker, decryptDeterministic, resolveMaskKeys } from './masking-strategies.ts';

process.env.TEST_MASK_KEY = 'a-secret-that-only-steward-knows';

test('every strategy masks once: applied to its own output it leaves the value alone', () => {
  const strategies: FieldMask[] = [
    { field: 'email', strategy: { strategy: 'hash', algorithm: 'sha256' }, maxLength: 40 },
    { field: 'email', strategy: { strategy: 'hmac', algorithm: 'sha512', key: 'env:TEST_MASK_KEY' } },
    { field: 'email', strategy: { strategy: 'deterministic_encryption', key: 'env:TEST_MASK_KEY' } },
    { field: 'email', strategy: { strategy: 'fixed_value', value: 'erased@invalid' } },
    { field: 'email', strategy: { strategy: 'null' } },
  ];
  for (const mask of strategies) {
    const masker = createMasker(mask);
    const once = masker('Ann@Example.com');
    assert.notEqual(once, undefined, mask.strategy.strategy);
    assert.equal(masker(once), undefined, `${mask.strategy.strategy} must recognise its own output`);
    assert.equal(masker(null), undefined);
  }
});

test('hashes are truncated to the column and equal inputs give equal outputs', () => {
  const masker = createMasker({
    field: 'street',
    strategy: { strategy: 'hash', algorithm: 'sha256' },
    maxLength: 12,
  });
  const value = masker('1 Ann Street');
  assert.match(String(value), /^[0-9a-f]{12}$/);
  assert.equal(masker('1 Ann Street'), value);
});

test('deterministic encryption is deterministic and decrypts with the key', () => {
  const masker = createMasker({
    field: 'email',
    strategy: { strategy: 'deterministic_encryption', key: 'env:TEST_MASK_KEY' },
  });
  const a = String(masker('ann@example.com'));
  assert.equal(masker('ann@example.com'), a);
  assert.notEqual(masker('bob@example.com'), a);
  assert.equal(decryptDeterministic(process.env.TEST_MASK_KEY!, a), 'ann@example.com');
  assert.throws(
    () =>
      createMasker({
        field: 'email',
        strategy: { strategy: 'deterministic_encryption', key: 'env:TEST_MASK_KEY' },
        maxLength: 20,
      })('ann@example.com'),
    {
      code: 'dsr.mask_too_long',
    },
  );
});

test('random values fit the column', () => {
  const text = createMasker({ field: 'name', strategy: { strategy: 'random' }, maxLength: 6 })('Ann');
  assert.match(String(text), /^[0-9a-f]{6}$/);
  assert.equal(
    typeof createMasker({ field: 'age', strategy: { strategy: 'random' }, family: 'integer' })(42),
    'number',
  );
});

test('generalise keeps a coarser value of the column kind and recognises its own output', () => {
  const year = createMasker({ field: 'born', strategy: { strategy: 'generalise' }, family: 'date' });
  assert.equal(year('1968-09-18'), '1968-01-01');
  assert.equal(year('1968-01-01'), undefined);
  const month = createMasker({
    field: 'at',
    strategy: { strategy: 'generalise', dateTo: 'month' },
    family: 'timestamp',
  });
  assert.deepEqual(month(new Date('2024-03-17T10:11:12Z')), new Date('2024-03-01T00:00:00Z'));
  const band = createMasker({
    field: 'age',
    strategy: { strategy: 'generalise', step: 10 },
    family: 'integer',
  });
  assert.equal(band(47), 40);
  assert.equal(band(40), undefined);
  const district = createMasker({
    field: 'postcode',
    strategy: { strategy: 'generalise', keepCharacters: 2 },
    family: 'text',
  });
  assert.equal(district('75011'), '75');
  assert.equal(district('75'), undefined);
});

test('keys held by Steward (secret:) are resolved before masking, as env: and file: keys are', async () => {
  const mask: FieldMask = {
    field: 'email',
    strategy: { strategy: 'hmac', algorithm: 'sha256', key: 'secret:mask-key' },
  };
  const resolved: string[] = [];
  const resolveKey = await resolveMaskKeys([mask], async (reference) => {
    resolved.push(reference);
    return 'a-secret-that-only-steward-knows';
  });
  const fromStore = createMasker(mask, resolveKey)('Ann@Example.com');
  const fromEnv = createMasker({
    ...mask,
    strategy: { ...mask.strategy, key: 'env:TEST_MASK_KEY' } as FieldMask['strategy'],
  })('Ann@Example.com');
  assert.deepEqual(resolved, ['secret:mask-key']);
  assert.equal(fromStore, fromEnv);
});
