import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { anAuditSetup } from '../../../../test/support/audit-fixtures.ts';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { loadCheckpointSigner, loadPseudonymKey } from '../../../platform/audit/audit-keys.ts';
import { integratePendingEntries } from '../../../platform/audit/integrate-pending-entries.ts';
import { makeCheckpoints } from '../../../platform/audit/make-checkpoints.ts';
import { PERMISSIONS } from '../../../platform/auth/permissions.ts';
import { CONSENT_DAYS, readDashboard } from './read-dashboard.ts';

const DAY = 24 * 3600_000;

/**
 * The dashboard's figures come from the modules that own the data (requests, consent, retention)
 * and from the audit log and the event outbox. Each area is arranged with rows on both sides of
 * every boundary the figures draw (overdue / due this week, thirty days, dry runs, dead letters).
 */
describe('the console dashboard counts what each area holds', () => {
  const audit = anAuditSetup();
  let t: TestApp;
  /** The dashboard is read as of this instant, a minute after the arrangement. */
  let now: Date;

  before(async () => {
    t = await startTestApp({ config: { audit: audit.config } });
    const { db } = t.database;
    const agent = await t.headers('request_agent');
    const owner = await t.headers('owner');
    const submitted: string[] = [];
    for (const email of ['ana@example.com', 'ben@example.com', 'cem@example.com', 'dan@example.com']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/requests',
        headers: agent,
        payload: { type: 'erasure', identities: { email }, identityVerified: true },
      });
      assert.equal(response.statusCode, 201, response.body);
      submitted.push(response.json().id);
    }
    const [overdue, dueInThreeDays, closedLastWeek, closedTwoMonthsAgo] = submitted as [
      string,
      string,
      string,
      string,
    ];
    const at = (offset: number) => new Date(Date.now() + offset);
    await db
      .updateTable('dsr_requests')
      .set({ due_at: at(-DAY) })
      .where('id', '=', overdue)
      .execute();
    await db
      .updateTable('dsr_requests')
      .set({ due_at: at(3 * DAY) })
      .where('id', '=', dueInThreeDays)
      .execute();
    for (const [id, closedAt] of [
      [closedLastWeek, at(-7 * DAY)],
      [closedTwoMonthsAgo, at(-60 * DAY)],
    ] as const)
      await db
        .updateTable('dsr_requests')
        .set({ state: 'completed', closed_at: closedAt })
        .where('id', '=', id)
        .execute();

    const notice = await t.app.inject({
      method: 'POST',
      url: '/v1/consent/notices',
      headers: owner,
      payload: {
        key: 'newsletter',
        purpose: 'marketing.communications.email',
        title: 'Newsletter',
        text: 'Offers by e-mail.',
        legalBasis: 'consent',
        mechanism: 'opt_in',
      },
    });
    assert.equal(notice.statusCode, 201, notice.body);
    for (const [subject, actions] of [
      ['ana@example.com', ['given']],
      ['ben@example.com', ['given', 'withdrawn']],
    ] as const) {
      for (const action of actions) {
        const recorded = await t.app.inject({
          method: 'POST',
          url: '/v1/consent/records',
          headers: owner,
          payload: {
            subject,
            changes: [{ purpose: 'marketing.communications.email', action, notice: 'newsletter' }],
          },
        });
        assert.equal(recorded.statusCode, 201, recorded.body);
      }
    }

    const run = (createdAt: Date, dryRun: boolean, rowsDone: number) => ({
      id: randomUUID(),
      tenant_id: 'default',
      trigger: 'manual' as const,
      requested_by_kind: 'system',
      requested_by_id: 'dashboard-test',
      dry_run: dryRun,
      state: 'completed' as const,
      targets: JSON.stringify([]),
      settings: JSON.stringify({}),
      reference_time: createdAt,
      rows_done: rowsDone,
      rows_estimated: rowsDone,
      finished_at: createdAt,
      created_at: createdAt,
      updated_at: createdAt,
    });
    await db
      .insertInto('retention_runs')
      .values([run(at(-40 * DAY), false, 100), run(at(-2 * DAY), false, 7), run(at(-DAY), true, 50)])
      .execute();

    // Two deliveries waiting (the older since two minutes), one dead letter, one delivered.
    const event = await db
      .selectFrom('event_outbox')
      .selectAll()
      .where('tenant_id', '=', 'default')
      .executeTakeFirstOrThrow();
    now = at(60_000);
    const delivery = (status: 'pending' | 'delivered' | 'dead', createdAt: Date) => ({
      id: randomUUID(),
      tenant_id: 'default',
      event_id: event.id,
      destination: `webhook:${randomUUID()}`,
      stream_key: event.stream_key,
      stream_sequence: event.stream_sequence,
      status,
      next_attempt_at: createdAt,
      give_up_at: at(DAY),
      created_at: createdAt,
    });
    await db
      .insertInto('event_deliveries')
      .values([
        delivery('pending', new Date(now.getTime() - 120_000)),
        delivery('pending', at(0)),
        delivery('dead', at(-DAY)),
        delivery('delivered', at(-DAY)),
      ])
      .execute();

    // What the audit.checkpoint job does every minute: the events so far enter the log, which is signed.
    await integratePendingEntries(db, { pseudonymKey: loadPseudonymKey(audit.config), batchSize: 100 });
    await makeCheckpoints(db, audit.config, loadCheckpointSigner(audit.config));
  });
  after(async () => {
    await t?.close();
    audit.remove();
  });

  test('an owner sees every section, each counted within its boundaries', async () => {
    const dashboard = await readDashboard(
      t.services,
      { tenantId: 'default', permissions: new Set(PERMISSIONS) },
      now,
    );
    assert.equal(dashboard.generatedAt, now.toISOString());
    assert.deepEqual(dashboard.requests, {
      open: 2,
      overdue: 1,
      dueThisWeek: 1,
      awaitingApproval: 2,
      awaitingVerification: 0,
      inProgress: 0,
      closedLast30Days: 1,
    });

    const today = now.toISOString().slice(0, 10);
    assert.deepEqual(dashboard.consent, {
      days: CONSENT_DAYS,
      purposes: [
        {
          purpose: 'marketing.communications.email',
          given: 1,
          withdrawn: 1,
          expired: 0,
          daily: [{ day: today, given: 2, withdrawn: 1 }],
        },
      ],
    });

    assert.equal(
      dashboard.retention?.rowsSweptLast30Days,
      7,
      'dry runs and runs older than 30 days do not count',
    );
    assert.deepEqual(
      dashboard.retention?.runs.map((r) => [r.dryRun, r.rowsDone]),
      [
        [true, 50],
        [false, 7],
        [false, 100],
      ],
      'newest first',
    );

    const checkpoint = await t.database.db
      .selectFrom('audit_checkpoints')
      .select(['tree_size', 'created_at'])
      .where('tenant_id', '=', 'default')
      .orderBy('tree_size', 'desc')
      .executeTakeFirstOrThrow();
    assert.ok(checkpoint.tree_size > 0);
    assert.deepEqual(dashboard.audit, {
      entries: checkpoint.tree_size,
      pending: 0,
      lastCheckpoint: {
        treeSize: checkpoint.tree_size,
        createdAt: checkpoint.created_at.toISOString(),
        ageSeconds: Math.round((now.getTime() - checkpoint.created_at.getTime()) / 1000),
      },
    });

    assert.deepEqual(dashboard.events, { pending: 2, deadLetters: 1, lagSeconds: 120 });
  });

  test('a role sees only the sections of what it may read', async () => {
    const dashboard = await readDashboard(
      t.services,
      {
        tenantId: 'default',
        permissions: new Set(['profile:read', 'retention:read', 'events:read'] as const),
      },
      now,
    );
    assert.deepEqual(Object.keys(dashboard).sort(), ['events', 'generatedAt', 'retention']);
  });

  test("another tenant's dashboard counts none of these", async () => {
    await t.database.db.insertInto('tenants').values({ id: 'other', name: 'Other' }).execute();
    const dashboard = await readDashboard(
      t.services,
      { tenantId: 'other', permissions: new Set(PERMISSIONS) },
      now,
    );
    assert.equal(dashboard.requests?.open, 0);
    assert.deepEqual(dashboard.consent?.purposes, []);
    assert.deepEqual(dashboard.retention, { rowsSweptLast30Days: 0, runs: [] });
    assert.deepEqual(dashboard.audit, { entries: 0, pending: 0, lastCheckpoint: null });
    assert.deepEqual(dashboard.events, { pending: 0, deadLetters: 0, lagSeconds: 0 });
  });
});
