import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { purgeStewardData } from '../../retention/api.ts';

const DAY = 86_400_000;
let t: TestApp;
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

/** A stored generation of a tenant's record of processing, `days` old, naming the DPO. */
async function aRopaGeneration(tenantId: string, days: number): Promise<string> {
  const id = randomUUID();
  await t.database.db
    .insertInto('governance_ropa_generations')
    .values({
      id,
      tenant_id: tenantId,
      generated_at: daysAgo(days),
      digest: id,
      record: JSON.stringify({ entries: [], dpo: ['DPO, dpo@shop.example'] }),
    })
    .execute();
  return id;
}

/** A breach (closed `closedDaysAgo` days ago, or open) whose 24 h and 6 h reminders were sent. */
async function aBreachWithReminders(closedDaysAgo: number | null): Promise<string> {
  const id = randomUUID();
  const awareAt = daysAgo((closedDaysAgo ?? 0) + 5);
  await t.database.db
    .insertInto('governance_breaches')
    .values({
      tenant_id: 'default',
      id,
      title: 'Misdirected export',
      state: closedDaysAgo === null ? 'open' : 'closed',
      aware_at: awareAt,
      details: JSON.stringify({ description: 'An export went to the wrong partner.' }),
      closed_at: closedDaysAgo === null ? null : daysAgo(closedDaysAgo),
      created_at: awareAt,
      updated_at: now,
    })
    .execute();
  for (const hoursLeft of [24, 6])
    await t.database.db
      .insertInto('governance_breach_reminders')
      .values({ tenant_id: 'default', breach_id: id, hours_left: hoursLeft, sent_at: awareAt })
      .execute();
  return id;
}

before(async () => {
  t = await startTestApp();
  await t.database.db.insertInto('tenants').values({ id: 'other', name: 'Other' }).execute();
});
after(() => t?.close());

test("old record generations and closed breaches' reminders are purged by Steward's own purge; the latest record and the register stay", async () => {
  await aRopaGeneration('default', 1300);
  await aRopaGeneration('default', 1100);
  const latest = await aRopaGeneration('default', 5);
  const otherTenantsOnly = await aRopaGeneration('other', 2000);
  const closedLongAgo = await aBreachWithReminders(40);
  const closedLately = await aBreachWithReminders(5);
  const open = await aBreachWithReminders(null);

  const dryRun = await purgeStewardData(t.services, { dryRun: true, now });
  assert.deepEqual([dryRun.ropaGenerations, dryRun.breachReminders], [2, 2]);

  const purged = await purgeStewardData(t.services, { now });
  assert.deepEqual([purged.ropaGenerations, purged.breachReminders], [2, 2]);
  const generations = await t.database.db.selectFrom('governance_ropa_generations').select('id').execute();
  assert.deepEqual(
    generations.map((g) => g.id).sort(),
    [latest, otherTenantsOnly].sort(),
    'older than 3 years (the default) and replaced by a newer one; a tenant keeps its latest whatever its age',
  );
  const reminders = await t.database.db
    .selectFrom('governance_breach_reminders')
    .select('breach_id')
    .distinct()
    .execute();
  assert.deepEqual(reminders.map((r) => r.breach_id).sort(), [closedLately, open].sort());
  const breaches = await t.database.db.selectFrom('governance_breaches').select('id').execute();
  assert.equal(breaches.length, 3, 'the breach register itself is kept (Art. 33(5))');
  assert.ok(breaches.some((b) => b.id === closedLongAgo));

  const audit = await t.database.db.selectFrom('audit_pending').select('body').execute();
  for (const kind of ['ropa_generations', 'breach_reminders'])
    assert.ok(
      audit.some((a) => a.body.includes('retention.steward_data.purged') && a.body.includes(`"${kind}"`)),
      kind,
    );
  const again = await purgeStewardData(t.services, { now });
  assert.deepEqual([again.ropaGenerations, again.breachReminders], [0, 0], 'a second purge finds nothing');
});
