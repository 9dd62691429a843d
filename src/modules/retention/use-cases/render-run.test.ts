import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyCollectionReport, type RunReport } from '../core/retention-run-types.ts';
import { renderRun } from './render-run.ts';

const cutoff = new Date('2016-12-07T00:00:00Z');
const aRun = (state: RunReport['state'], collections: RunReport['collections']): RunReport => ({
  id: 'run-1',
  tenantId: 'default',
  flowRunId: null,
  trigger: 'manual',
  dryRun: false,
  state,
  referenceTime: '2026-12-07T00:00:00.000Z',
  rowsEstimated: 0,
  rowsDone: 0,
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  cancelRequested: false,
  error: null,
  approval: {
    rowsDue: 16_671,
    rowsAbove: 1000,
    requestedBy: { kind: 'system', id: 'steward-cli' },
    decision: null,
  },
  collections,
});

test('a run awaiting approval shows its collections as not counted yet, not as 0 rows due', () => {
  const pending = {
    ...emptyCollectionReport(
      { system: 'shop', collection: 'sessions' },
      'delete after 13m since started_at',
      'delete',
      cutoff,
    ),
    state: 'pending',
  };
  const text = renderRun(aRun('awaiting_approval', [pending]));
  assert.match(text, /16,671 rows due, more than 1,000/);
  assert.match(text, /shop\.sessions +delete after 13m since started_at +— +— +— +— +pending/);
  assert.doesNotMatch(text, /started_at +0 /);
});

test('a swept collection shows its counts', () => {
  const done = {
    ...emptyCollectionReport(
      { system: 'shop', collection: 'sessions' },
      'delete after 13m since started_at',
      'delete',
      cutoff,
    ),
    rowsSelected: 8066,
    rowsDeleted: 8066,
    state: 'done',
  };
  const text = renderRun(aRun('completed', [done]));
  assert.match(text, /shop\.sessions +delete after 13m since started_at +8,066 +8,066 +0 +0 +done/);
});
