import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authConfigSchema } from './auth-config-schema.ts';
import {
  dutiesPolicyFor,
  requirePerson,
  retentionRunNeedsApproval,
  rotationNeedsSecondPerson,
} from './separation-of-duties.ts';

const auth = authConfigSchema.parse({
  separationOfDuties: {
    tenants: {
      sandbox: { retentionRunRowsAbove: false, secretsRotation: false },
      bulk: { retentionRunRowsAbove: 50_000 },
    },
  },
});

test('four eyes is on by default; a tenant overrides only the keys it names', () => {
  assert.deepEqual(dutiesPolicyFor(auth, 'default'), {
    requests: true,
    retentionRunRowsAbove: 1000,
    secretsRotation: true,
  });
  assert.deepEqual(dutiesPolicyFor(auth, 'sandbox'), {
    requests: true,
    retentionRunRowsAbove: false,
    secretsRotation: false,
  });
  assert.deepEqual(dutiesPolicyFor(auth, 'bulk'), {
    requests: true,
    retentionRunRowsAbove: 50_000,
    secretsRotation: true,
  });
});

test('a run waits when its rows due exceed the threshold, never when the rule is off', () => {
  const policy = dutiesPolicyFor(auth, 'default');
  assert.equal(retentionRunNeedsApproval(policy, 1000), false, 'exactly the threshold is allowed');
  assert.equal(retentionRunNeedsApproval(policy, 1001), true);
  assert.equal(retentionRunNeedsApproval(dutiesPolicyFor(auth, 'sandbox'), 10_000_000), false);
});

test('a rotation needs two people when any tenant it touches asks for it', () => {
  assert.equal(rotationNeedsSecondPerson(auth, ['sandbox']), false);
  assert.equal(rotationNeedsSecondPerson(auth, ['sandbox', 'bulk']), true);
  assert.equal(rotationNeedsSecondPerson(auth, []), false, 'nothing to re-wrap');
});

test("a system actor (the CLI's steward-cli, a job) is nobody's second person", () => {
  assert.doesNotThrow(() => requirePerson('x.four_eyes', 'It', { kind: 'api_key', id: 'k1' }, ''));
  assert.throws(
    () => requirePerson('x.four_eyes', 'It', { kind: 'system', id: 'steward-cli' }, 'Ask a person.'),
    {
      code: 'x.four_eyes',
      message: 'It needs a second person, and system steward-cli is not one. Ask a person.',
    },
  );
});
