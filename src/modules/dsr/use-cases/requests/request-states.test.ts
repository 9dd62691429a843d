import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertTransition, canTransition, REQUEST_STATES } from './request-states.ts';
import { resolveRequestType } from './request-types.ts';

describe('request state machine', () => {
  test('the happy paths of a request are allowed', () => {
    const withCode = [
      'received',
      'verifying',
      'verified',
      'awaiting_approval',
      'in_progress',
      'completed',
    ] as const;
    for (let i = 1; i < withCode.length; i++)
      assert.ok(canTransition(withCode[i - 1]!, withCode[i]!), `${withCode[i - 1]} → ${withCode[i]}`);
    assert.ok(canTransition('received', 'verified'), 'an agent vouches for the identity');
    assert.ok(canTransition('verified', 'in_progress'), 'no approval needed');
    assert.ok(canTransition('in_progress', 'partially_completed'));
    assert.ok(canTransition('in_progress', 'failed'));
  });

  test('execution cannot be skipped, undone or cancelled once started', () => {
    assert.equal(canTransition('received', 'in_progress'), false);
    assert.equal(canTransition('verifying', 'awaiting_approval'), false);
    assert.equal(canTransition('in_progress', 'cancelled'), false);
    assert.equal(canTransition('in_progress', 'denied'), false);
    assert.equal(canTransition('completed', 'in_progress'), false);
  });

  test('final states go nowhere', () => {
    for (const final of ['completed', 'partially_completed', 'denied', 'failed', 'cancelled'] as const) {
      for (const to of REQUEST_STATES) assert.equal(canTransition(final, to), false, `${final} → ${to}`);
    }
  });

  test('an invalid transition is a Conflict naming both states and the way out', () => {
    assert.throws(
      () => assertTransition('r-1', 'in_progress', 'cancelled'),
      (error: Error & { code?: string; kind?: string }) =>
        error.kind === 'conflict' &&
        error.code === 'dsr.invalid_transition' &&
        /from in_progress to cancelled/.test(error.message) &&
        /completed, partially_completed, failed/.test(error.message),
    );
    assert.throws(() => assertTransition('r-1', 'denied', 'verified'), /denied is final/);
  });
});

describe('request types of both regimes', () => {
  test('CCPA rights map onto the GDPR types Steward executes, keeping the CCPA name', () => {
    assert.deepEqual(resolveRequestType('know', undefined), {
      type: 'access',
      regime: 'ccpa',
      regimeType: 'know',
    });
    assert.deepEqual(resolveRequestType('delete', 'ccpa'), {
      type: 'erasure',
      regime: 'ccpa',
      regimeType: 'delete',
    });
    assert.deepEqual(resolveRequestType('correct', undefined), {
      type: 'rectification',
      regime: 'ccpa',
      regimeType: 'correct',
    });
    assert.deepEqual(resolveRequestType('opt_out', undefined), {
      type: 'objection',
      regime: 'ccpa',
      regimeType: 'opt_out',
    });
    assert.deepEqual(resolveRequestType('erasure', 'ccpa'), {
      type: 'erasure',
      regime: 'ccpa',
      regimeType: 'delete',
    });
  });

  test('GDPR types default to GDPR', () => {
    assert.deepEqual(resolveRequestType('portability', undefined), {
      type: 'portability',
      regime: 'gdpr',
      regimeType: 'portability',
    });
  });

  test('mismatches are refused with the alternative', () => {
    assert.throws(() => resolveRequestType('know', 'gdpr'), /use the GDPR type "access"/);
    assert.throws(() => resolveRequestType('restriction', 'ccpa'), /CCPA has no "restriction" right/);
  });
});
