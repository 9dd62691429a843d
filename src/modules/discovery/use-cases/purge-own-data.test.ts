import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { purgeStewardData } from '../../retention/api.ts';

const DAY = 86_400_000;
let t: TestApp;
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

/** A stored discovery run of `system`, started `days` ago, with one classified column. */
async function aRun(system: string, days: number): Promise<string> {
  const id = randomUUID();
  await t.database.db
    .insertInto('discovery_runs')
    .values({
      id,
      tenant_id: 'default',
      system,
      trigger: 'schedule',
      sample_size: 200,
      started_at: daysAgo(days),
      duration_ms: 12,
      summary: JSON.stringify({ collections: 1, columns: 1, personalColumns: 1, findings: {} }),
    })
    .execute();
  await t.database.db
    .insertInto('discovery_columns')
    .values({
      tenant_id: 'default',
      run_id: id,
      collection: 'customers',
      field: 'email',
      categories: JSON.stringify(['user.contact.email']),
      confidence: 0.99,
      evidence: JSON.stringify([{ signal: 'name', token: 'email', weight: 0.75 }]),
      sampled: 200,
    })
    .execute();
  return id;
}

const runIds = async () =>
  (await t.database.db.selectFrom('discovery_runs').select('id').execute()).map((r) => r.id).sort();

before(async () => {
  t = await startTestApp();
});
after(() => t?.close());

test("discovery runs past their period are purged by Steward's own purge, except each system's latest, and audited", async () => {
  const crmOldest = await aRun('crm', 500);
  const crmOld = await aRun('crm', 450);
  const crmRecent = await aRun('crm', 10);
  const logsOnlyRun = await aRun('logs', 900);

  const dryRun = await purgeStewardData(t.services, { dryRun: true, now });
  assert.equal(dryRun.discoveryRuns, 2, 'runs older than 400 days (the default) that a newer run replaces');
  assert.equal((await runIds()).length, 4, 'a dry run changes nothing');

  const purged = await purgeStewardData(t.services, { now });
  assert.equal(purged.discoveryRuns, 2);
  assert.deepEqual(await runIds(), [crmRecent, logsOnlyRun].sort(), 'the logs system keeps its only run');
  const columns = await t.database.db.selectFrom('discovery_columns').select('run_id').execute();
  assert.deepEqual(
    columns.map((c) => c.run_id).sort(),
    [crmRecent, logsOnlyRun].sort(),
    'columns go with their run',
  );
  assert.ok(![crmOldest, crmOld].some((id) => columns.some((c) => c.run_id === id)));

  const audit = await t.database.db.selectFrom('audit_pending').select('body').execute();
  assert.ok(
    audit.some(
      (a) => a.body.includes('retention.steward_data.purged') && a.body.includes('"discovery_runs"'),
    ),
    'the purge is in the audit log, as a count',
  );
  assert.equal(
    (await purgeStewardData(t.services, { now })).discoveryRuns,
    0,
    'a second purge finds nothing',
  );
});
