import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import {
  createSourceSystem,
  SOURCE_KINDS,
  type TestSourceSystem,
} from '../../../../test/support/test-source-systems.ts';
import { createRun } from './create-run.ts';
import { cancelRun, executeRun } from './execute-run.ts';
import { EXPECTED, seedRetentionFixture, writeFixtureFolders } from '../test-support/retention-fixture.ts';

interface CollectionJson {
  collection: string;
  rowsSelected: number;
  rowsDeleted: number;
  rowsAnonymised: number;
  rowsKept: number;
  keptReasons: Record<string, number>;
  batches: number;
}
interface RunJson {
  id: string;
  state: string;
  collections: CollectionJson[];
}

async function waitForRun(testApp: TestApp, id: string): Promise<RunJson> {
  const headers = await testApp.headers('owner');
  for (let i = 0; i < 300; i++) {
    const response = await testApp.app.inject({ method: 'GET', url: `/v1/retention/runs/${id}`, headers });
    const run = response.json() as RunJson;
    if (['completed', 'failed', 'cancelled'].includes(run.state)) return run;
    await sleep(100);
  }
  throw new Error(`run ${id} did not finish`);
}

function byCollection(
  run: RunJson,
): Record<'accounts' | 'tickets' | 'replies' | 'visits' | 'invoices', CollectionJson> {
  const found = (name: string) => run.collections.find((c) => c.collection === name)!;
  return {
    accounts: found('accounts'),
    tickets: found('tickets'),
    replies: found('replies'),
    visits: found('visits'),
    invoices: found('invoices'),
  };
}

for (const kind of SOURCE_KINDS) {
  describe(`retention on a ${kind} system`, () => {
    let source: TestSourceSystem;
    let testApp: TestApp;
    before(async () => {
      source = await createSourceSystem(kind, 'app');
      await seedRetentionFixture(source);
      const folders = writeFixtureFolders(kind, source.url);
      testApp = await startTestApp({
        config: {
          datamap: { path: folders.datamap },
          retention: { flowsPath: folders.flows, sweep: { batchSize: 3, pauseMs: 0 } },
        },
        work: true,
      });
    });
    after(async () => {
      await testApp?.close();
      await source?.close();
    });

    test('a dry run counts the due rows, shows a few primary keys and no personal values, and changes nothing', async () => {
      const headers = await testApp.headers('auditor');
      const tickets = await testApp.app.inject({
        method: 'POST',
        url: '/v1/retention/rules/app/tickets/dry-run',
        headers,
        payload: {},
      });
      assert.equal(tickets.statusCode, 200, tickets.body);
      // 12 old tickets, 2 of them still answered by recent replies: the sweep deletes 10 and keeps 2.
      assert.deepEqual(
        [tickets.json().rowsDue, tickets.json().rowsReferenced, tickets.json().referencedReasons],
        [
          EXPECTED.ticketsDeleted,
          EXPECTED.ticketsKept,
          { 'still referenced by replies (ticket_id, ON DELETE NO ACTION)': 2 },
        ],
      );
      assert.equal(tickets.json().rule, 'delete after 2y since created_at');
      assert.deepEqual(
        tickets.json().sampleKeys.map((k: unknown[]) => Number(k[0])),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      assert.ok(!tickets.body.includes('+49'), 'no value other than keys');

      const invoices = (
        await testApp.app.inject({
          method: 'POST',
          url: '/v1/retention/rules/app/invoices/dry-run',
          headers,
          payload: {},
        })
      ).json();
      assert.deepEqual(
        [invoices.rowsDue, invoices.rowsHeld],
        [EXPECTED.invoicesDeleted, EXPECTED.invoicesHeld],
        'the tax hold keeps the invoices issued last year',
      );

      const accounts = (
        await testApp.app.inject({
          method: 'POST',
          url: '/v1/retention/rules/app/accounts/dry-run',
          headers,
          payload: {},
        })
      ).json();
      assert.equal(accounts.rowsDue, EXPECTED.anonymised);
      assert.equal(
        Number((await source.query<{ n: unknown }>('SELECT count(*) AS n FROM tickets'))[0]!.n),
        20,
      );
    });

    test('a proposed rule is tried before it is enabled, and one that would break a legal hold is refused', async () => {
      const headers = await testApp.headers('owner');
      const proposed = await testApp.app.inject({
        method: 'POST',
        url: '/v1/retention/rules/app/tickets/dry-run',
        headers,
        payload: {
          rule: {
            keepFor: '1y',
            anchor: 'created_at',
            where: { account_id: { in: [1, 2] } },
            action: 'delete',
          },
        },
      });
      assert.equal(proposed.statusCode, 200, proposed.body);
      // Both of those old tickets still have recent replies: a sweep would keep them, and the dry run says so.
      assert.deepEqual([proposed.json().rowsDue, proposed.json().rowsReferenced], [0, 2]);
      const early = await testApp.app.inject({
        method: 'POST',
        url: '/v1/retention/rules/app/invoices/dry-run',
        headers,
        payload: { rule: { keepFor: '1y', anchor: 'created_at', action: 'delete' } },
      });
      assert.equal(early.statusCode, 400);
      assert.equal(early.json().code, 'retention.rule_invalid');
      assert.match(early.json().detail, /before the legal hold on the collection ends/);
    });

    test('a run deletes and anonymises exactly what the rules select, in batches, children first, and reports it', async () => {
      const headers = await testApp.headers('owner');
      const started = await testApp.app.inject({
        method: 'POST',
        url: '/v1/retention/runs',
        headers,
        payload: {},
      });
      assert.equal(started.statusCode, 202, started.body);
      const run = await waitForRun(testApp, started.json().id);
      assert.equal(run.state, 'completed', JSON.stringify(run));
      const report = byCollection(run);
      assert.deepEqual(
        run.collections.map((c) => c.collection).indexOf('replies') <
          run.collections.map((c) => c.collection).indexOf('tickets'),
        true,
      );
      assert.equal(report.accounts.rowsAnonymised, EXPECTED.anonymised);
      assert.equal(report.replies.rowsDeleted, EXPECTED.repliesDeleted);
      assert.equal(report.tickets.rowsDeleted, EXPECTED.ticketsDeleted);
      assert.equal(report.tickets.rowsKept, EXPECTED.ticketsKept);
      assert.deepEqual(Object.keys(report.tickets.keptReasons), [
        'still referenced by replies (ticket_id, ON DELETE NO ACTION)',
      ]);
      assert.equal(report.visits.rowsDeleted, EXPECTED.visitsDeleted);
      assert.equal(report.invoices.rowsDeleted, EXPECTED.invoicesDeleted);
      assert.ok(report.visits.batches >= 5, 'small batches');

      const count = async (sql: string) => Number((await source.query<{ n: unknown }>(sql))[0]!.n);
      assert.equal(await count('SELECT count(*) AS n FROM tickets'), 20 - EXPECTED.ticketsDeleted);
      assert.equal(await count('SELECT count(*) AS n FROM tickets WHERE id IN (1, 2)'), 2);
      assert.equal(await count('SELECT count(*) AS n FROM visits'), 10);
      assert.equal(await count('SELECT count(*) AS n FROM invoices'), 3);
      const masked = await source.query<{
        id: unknown;
        email: string;
        name: string;
        status: string;
        last_login_at: unknown;
      }>('SELECT id, email, name, status, last_login_at FROM accounts ORDER BY id');
      for (const row of masked.slice(0, 10)) {
        assert.match(row.email, /^[0-9a-f]{64}$/);
        assert.deepEqual([row.name, row.status, row.last_login_at], ['erased', 'closed', null]);
      }
      assert.deepEqual(
        masked.slice(10).map((r) => r.name),
        ['Person 11', 'Person 12', 'Person 13', 'Person 14', 'Person 15', 'Person 16', 'Person 17'],
      );

      const events = await testApp.database.db
        .selectFrom('event_outbox')
        .select(['type', 'data'])
        .where('source', '=', 'retention')
        .execute();
      const deleted = events
        .filter((e) => e.type === 'data.deleted')
        .map((e) => e.data as Record<string, unknown>);
      assert.deepEqual(deleted.map((d) => `${d.collection}:${d.rowsDeleted}:${d.rowsAnonymised}`).sort(), [
        'accounts:0:10',
        'invoices:3:0',
        'replies:4:0',
        'tickets:10:0',
        'visits:20:0',
      ]);
      assert.equal(events.filter((e) => e.type === 'retention.expired').length, 5);
      assert.ok(!JSON.stringify(events).includes('@example.com'), 'events carry counts, not personal values');
      const audit = await testApp.database.db.selectFrom('audit_pending').select('body').execute();
      assert.ok(audit.some((a) => a.body.includes('"retention.run.completed"') && a.body.includes(run.id)));
    });

    test('running again changes nothing: the rules select only what is still due', async () => {
      const headers = await testApp.headers('owner');
      const started = await testApp.app.inject({
        method: 'POST',
        url: '/v1/retention/runs',
        headers,
        payload: { systems: ['app'] },
      });
      const run = await waitForRun(testApp, started.json().id);
      const report = byCollection(run);
      assert.equal(run.state, 'completed');
      assert.deepEqual(
        Object.values(report).map((c) => c.rowsDeleted + c.rowsAnonymised),
        [0, 0, 0, 0, 0],
      );
      assert.equal(
        report.tickets.rowsKept,
        EXPECTED.ticketsKept,
        'the referenced tickets are still due and still kept',
      );
      const list = (
        await testApp.app.inject({ method: 'GET', url: '/v1/retention/runs?limit=1', headers })
      ).json();
      assert.equal(list.items[0].id, run.id);
      assert.ok(list.nextCursor);
    });
  });
}

describe('cancelling', () => {
  let testApp: TestApp;
  let source: TestSourceSystem;
  before(async () => {
    source = await createSourceSystem('postgres', 'app');
    await seedRetentionFixture(source);
    const folders = writeFixtureFolders('postgres', source.url);
    testApp = await startTestApp({
      config: { datamap: { path: folders.datamap }, retention: { flowsPath: folders.flows } },
    });
  });
  after(async () => {
    await testApp?.close();
    await source?.close();
  });

  test('a running sweep stops at its next batch when cancelled, and keeps what it did', async () => {
    await source.exec(
      "INSERT INTO visits SELECT 1, '10.1.1.1', TIMESTAMP '2019-06-01' + g * INTERVAL '1 minute' FROM generate_series(1, 3000) g",
    );
    const id = await createRun(testApp.services, {
      tenantId: 'default',
      targets: [{ system: 'app', collection: 'visits' }],
      dryRun: false,
      trigger: 'manual',
      actor: { kind: 'system', id: 'test' },
      enqueue: false,
      settings: { batchSize: 10, pauseMs: 5 },
    });
    let cancelled: Promise<unknown> | undefined;
    const outcome = await executeRun(testApp.services, 'default', id, {
      onProgress: ({ rowsDone }) => {
        if (rowsDone >= 100)
          cancelled ??= cancelRun(testApp.services, 'default', id, { kind: 'system', id: 'test' });
      },
    });
    await cancelled;
    assert.equal(outcome.kind, 'finished');
    const report = outcome.kind === 'finished' ? outcome.report : undefined;
    assert.equal(report?.state, 'cancelled');
    const deleted = report!.collections[0]!.rowsDeleted;
    assert.ok(deleted >= 100 && deleted < 3000 + 20, `stopped early after ${deleted} rows`);
    const left = Number(
      (
        await source.query<{ n: unknown }>(
          "SELECT count(*) AS n FROM visits WHERE started_at < TIMESTAMP '2021-01-01'",
        )
      )[0]!.n,
    );
    assert.equal(left, 3020 - deleted, 'the rows it reported are exactly the rows that went');
  });

  test('a run nobody has started yet is cancelled at once and sweeps nothing', async () => {
    const headers = await testApp.headers('owner');
    const started = (
      await testApp.app.inject({
        method: 'POST',
        url: '/v1/retention/runs',
        headers,
        payload: { targets: [{ system: 'app', collection: 'tickets' }] },
      })
    ).json();
    const cancelled = await testApp.app.inject({
      method: 'POST',
      url: `/v1/retention/runs/${started.id}/cancel`,
      headers,
    });
    assert.equal(cancelled.json().state, 'cancelled');
    assert.equal(Number((await source.query<{ n: unknown }>('SELECT count(*) AS n FROM tickets'))[0]!.n), 20);
    const denied = await testApp.app.inject({
      method: 'POST',
      url: '/v1/retention/runs',
      headers: await testApp.headers('auditor'),
      payload: {},
    });
    assert.equal(denied.statusCode, 403);
  });
});
