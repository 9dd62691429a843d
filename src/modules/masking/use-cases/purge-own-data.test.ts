import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { purgeStewardData } from '../../retention/api.ts';
import type { MaskingRunState } from '../core/masking-run-types.ts';

const DAY = 86_400_000;
let t: TestApp;
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

/** A masked copy of the shop in `state`, finished `finishedDaysAgo` days ago (null: not finished), with one table's progress. */
async function aRun(state: MaskingRunState, finishedDaysAgo: number | null): Promise<string> {
  const id = randomUUID();
  await t.database.db
    .insertInto('masking_runs')
    .values({
      id,
      tenant_id: 'default',
      source_system: 'shop',
      target: JSON.stringify({ kind: 'dump', file: '/tmp/shop.sql' }),
      options: JSON.stringify({ keyReference: 'secret:masking-key' }),
      key_fingerprint: 'f1',
      state,
      phase: state === 'running' ? 'data' : 'done',
      requested_by_kind: 'user',
      requested_by_id: 'u1',
      started_at: daysAgo(finishedDaysAgo ?? 500),
      finished_at: finishedDaysAgo === null ? null : daysAgo(finishedDaysAgo),
      updated_at: now,
    })
    .execute();
  await t.database.db
    .insertInto('masking_run_tables')
    .values({
      tenant_id: 'default',
      run_id: id,
      table_id: 'public.customers',
      seq: 0,
      state: 'done',
      rows_copied: 3000,
      profiles: JSON.stringify([]),
    })
    .execute();
  return id;
}

const runIds = async () =>
  (await t.database.db.selectFrom('masking_runs').select('id').execute()).map((r) => r.id).sort();

before(async () => {
  t = await startTestApp();
});
after(() => t?.close());

test("finished masked-copy runs past their period are purged with their tables by Steward's own purge; running and recent ones stay", async () => {
  await aRun('completed', 500);
  await aRun('failed', 401);
  const stillRunning = await aRun('running', null);
  const recentlyCancelled = await aRun('cancelled', 10);

  const dryRun = await purgeStewardData(t.services, { dryRun: true, now });
  assert.equal(dryRun.maskingRuns, 2, 'finished more than 400 days (the default) ago');
  assert.equal((await runIds()).length, 4, 'a dry run changes nothing');

  const purged = await purgeStewardData(t.services, { now });
  assert.equal(purged.maskingRuns, 2);
  const kept = [stillRunning, recentlyCancelled].sort();
  assert.deepEqual(await runIds(), kept);
  const tables = await t.database.db.selectFrom('masking_run_tables').select('run_id').execute();
  assert.deepEqual(tables.map((r) => r.run_id).sort(), kept, 'the tables of a purged run go with it');

  const audit = await t.database.db.selectFrom('audit_pending').select('body').execute();
  assert.ok(
    audit.some((a) => a.body.includes('retention.steward_data.purged') && a.body.includes('"masking_runs"')),
  );
  assert.equal((await purgeStewardData(t.services, { now })).maskingRuns, 0, 'a second purge finds nothing');
});
