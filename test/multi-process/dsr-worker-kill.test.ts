import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { stringify } from 'yaml';
import { validateDataMapText } from '../../src/platform/datamap/load-datamap.ts';
import type { DataMap } from '../../src/platform/datamap/datamap-types.ts';
import {
  SHOP_DATA_SQL,
  shopDataMapYaml,
  shopSchemaSql,
} from '../../src/modules/dsr/use-cases/execution/test-shop-fixture.ts';
import { runErasureForSystem, type ErasureReport } from '../../src/modules/dsr/use-cases/execution/index.ts';
import { planErasure } from '../../src/modules/dsr/core/planning/index.ts';
import { STEP_HEARTBEAT_SECONDS } from '../../src/modules/dsr/use-cases/requests/request-queues.ts';
import { waitUntil } from '../support/wait-until.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { runSteward, spawnSteward, type StewardProcess } from '../support/steward-process.ts';
import { createPostgresDatabase } from '../support/test-database.ts';
import { createSourceSystem, type TestSourceSystem } from '../support/test-source-systems.ts';

/**
 * Issue 3, item 5 with real processes: a `steward worker` is killed with SIGKILL while it erases
 * one system of a three-system erasure (the step is held in the source by a row lock the test
 * takes, so it is observably in progress). A second worker that runs alongside never touches the
 * step while the first one lives, takes it over once the killed worker's heartbeat has lapsed, and
 * the request completes with every row the plan selects erased exactly once. On PostgreSQL only:
 * on PGlite one process owns the database, so there is no second worker to take over.
 */

process.env.TEST_SHOP_HMAC_KEY = 'test-shop-hmac-key-0123456789abcdef';

const SUBJECT = 'ann@example.com';

/** A CRM that keeps contacts (masked) and deletes their notes. */
const CRM_SQL = `
  CREATE TABLE contacts (id integer PRIMARY KEY, email varchar(100) NOT NULL, name varchar(100), phone varchar(30));
  CREATE TABLE notes (id integer PRIMARY KEY, contact_id integer NOT NULL REFERENCES contacts (id), body varchar(200) NOT NULL);
  INSERT INTO contacts VALUES (1, 'Ann@Example.com', 'Ann', '+49 30 1111'), (2, 'bob@example.com', 'Bob', '+49 30 2222'), (3, 'ann@example.com', 'Ann (2nd)', NULL);
  INSERT INTO notes VALUES (10, 1, 'called about her order'), (11, 1, 'prefers email'), (12, 3, 'duplicate account'), (20, 2, 'VIP');
`;

/** A newsletter tool whose subscriptions are deleted. */
const NEWSLETTER_SQL = `
  CREATE TABLE subscribers (id integer PRIMARY KEY, email varchar(100) NOT NULL, topics varchar(100), subscribed_at timestamp NOT NULL);
  INSERT INTO subscribers VALUES (1, 'ann@example.com', 'tea,cake', '2024-01-01 10:00'), (2, 'ANN@EXAMPLE.COM', 'pens', '2024-02-01 10:00'), (3, 'bob@example.com', 'tea', '2024-03-01 10:00');
`;

/**
 * Every row a statement deletes or changes, with its old and new values, committed or not at all:
 * what "erased exactly once" is checked against.
 */
const ERASURE_LOG_SQL = `
  CREATE TABLE erasure_log (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL, old_row jsonb NOT NULL, new_row jsonb);
  CREATE FUNCTION log_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN RETURN NULL; END IF;
    INSERT INTO erasure_log (tbl, op, old_row, new_row) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(OLD), CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(NEW) END);
    RETURN NULL;
  END $$;
  DO $$ DECLARE t text; BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'erasure_log' LOOP
      EXECUTE format('CREATE TRIGGER log_erasure AFTER UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION log_erasure()', t);
    END LOOP;
  END $$;
`;

function otherSystemsYaml(crmUrl: string, newsletterUrl: string): string {
  // No statement timeout in the CRM: its erase step waits on the test's row lock as long as needed.
  return `
  - id: crm
    kind: postgres
    role: processor
    connection: { url: "${crmUrl}", statementTimeoutMs: 0 }
    collections:
      - name: contacts
        primaryKey: [id]
        erasure: "null"
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - { name: email, type: varchar(100), nullable: false, categories: [user.contact.email], identity: email, erasure: { strategy: hmac, key: env:TEST_SHOP_HMAC_KEY } }
          - { name: name, type: varchar(100), categories: [user.name] }
          - { name: phone, type: varchar(30), categories: [user.contact.phone_number] }
      - name: notes
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - name: contact_id
            type: integer
            nullable: false
            references: [{ field: contacts.id, direction: from, onDelete: no_action }]
          - { name: body, type: varchar(200), nullable: false, categories: [user.content.private] }
  - id: newsletter
    kind: postgres
    role: processor
    connection: { url: "${newsletterUrl}" }
    collections:
      - name: subscribers
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: marketing.communications.email, legalBasis: consent }]
        fields:
          - { name: id, type: integer, nullable: false }
          - { name: email, type: varchar(100), nullable: false, categories: [user.contact.email], identity: email }
          - { name: topics, type: varchar(100), categories: [user.behavior] }
          - { name: subscribed_at, type: timestamp, nullable: false }
`;
}

interface LoggedChange {
  tbl: string;
  op: 'DELETE' | 'UPDATE';
  old_row: Record<string, unknown>;
  new_row: Record<string, unknown> | null;
}

interface StepRow {
  step: string;
  status: string;
  attempts: number;
  started_at: Date | null;
  heartbeat_at: Date | null;
  result: { report?: ErasureReport; resumed?: boolean } | null;
}

describe('a worker killed with SIGKILL in the middle of an erasure step, on PostgreSQL', () => {
  let stewardDb: { url: string; drop(): Promise<void> };
  let steward: pg.Pool;
  const sources = new Map<string, TestSourceSystem>();
  let smtp: SmtpTestServer;
  let folder: string;
  let configFile: string;
  let dataMap: DataMap;
  const workers: StewardProcess[] = [];
  let lockHolder: pg.Client | undefined;

  before(async () => {
    stewardDb = await createPostgresDatabase('steward_kill');
    steward = new pg.Pool({ connectionString: stewardDb.url, max: 2 });
    for (const [id, schema] of [
      ['shop', shopSchemaSql('postgres') + SHOP_DATA_SQL],
      ['crm', CRM_SQL],
      ['newsletter', NEWSLETTER_SQL],
    ] as const) {
      const source = await createSourceSystem('postgres', id);
      await source.exec(schema);
      await source.exec(ERASURE_LOG_SQL);
      sources.set(id, source);
    }
    smtp = await startSmtpTestServer();
    folder = mkdtempSync(join(tmpdir(), 'steward-dsr-kill-'));
    mkdirSync(join(folder, 'datamap'));
    const dataMapYaml =
      shopDataMapYaml('postgres', `{ url: "${sources.get('shop')!.url}" }`) +
      otherSystemsYaml(sources.get('crm')!.url!, sources.get('newsletter')!.url!);
    writeFileSync(join(folder, 'datamap', 'systems.yaml'), dataMapYaml);
    const loaded = validateDataMapText('systems.yaml', dataMapYaml);
    assert.deepEqual(
      loaded.problems.filter((p) => p.severity === 'error'),
      [],
    );
    dataMap = loaded.dataMaps[0]!;
    configFile = join(folder, 'steward.yaml');
    writeFileSync(
      configFile,
      stringify({
        database: { url: stewardDb.url },
        datamap: { path: join(folder, 'datamap') },
        jobs: { concurrency: 2, pollIntervalSeconds: 0.5 },
        logging: { level: 'warn' },
        audit: { createMissingKeys: true },
        // Erasures run at once here: no second person is around to approve them.
        auth: { separationOfDuties: { requests: false } },
        dsr: {
          dataDir: join(folder, 'dsr'),
          approvalRequired: [],
          smtp: { host: smtp.host, port: smtp.port, connectionTimeoutMs: 5000 },
        },
      }),
    );
  });

  after(async () => {
    await lockHolder?.end().catch(() => {});
    await Promise.all(workers.map((worker) => worker.stop()));
    await steward?.end();
    for (const source of sources.values()) await source.close();
    await smtp?.close();
    await stewardDb?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const startWorker = async () => {
    const worker = spawnSteward(['--config', configFile, '--json', 'worker'], { cwd: folder });
    workers.push(worker);
    await worker.waitForStdout(/"role": "worker"/);
    return worker;
  };
  const stepsOf = async (id: string) =>
    (
      await steward.query<StepRow>(
        'SELECT step, status, attempts, started_at, heartbeat_at, result FROM dsr_request_steps WHERE request_id = $1 ORDER BY seq',
        [id],
      )
    ).rows;
  const crmStep = async (id: string) => (await stepsOf(id)).find((s) => s.step === 'erase:crm');
  const crmJob = async (id: string) =>
    (
      await steward.query<{ state: string; retry_count: number }>(
        "SELECT state, retry_count FROM pgboss.job WHERE name = 'dsr.run-step' AND data->>'requestId' = $1 AND data->>'step' = 'erase:crm'",
        [id],
      )
    ).rows[0];
  const waitingOnLocks = async () =>
    Number(
      (
        await sources
          .get('crm')!
          .query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          )
      )[0]!.n,
    );

  test('another worker takes the step over once the killed worker’s heartbeat lapses, never while it lives; every row the plan selects is erased exactly once', async () => {
    // What the erasure will change, row by row, as the executor's dry run says before anything runs.
    const plan = planErasure(dataMap, { email: [SUBJECT] });
    assert.deepEqual(plan.systems.map((s) => s.system).sort(), ['crm', 'newsletter', 'shop']);
    const expected = new Map<string, ErasureReport>();
    for (const { system } of plan.systems)
      expected.set(
        system,
        await runErasureForSystem(plan, system, sources.get(system)!.connector, { dryRun: true }),
      );

    // The test holds one of the subject's CRM rows locked, so the CRM erase step blocks inside its transaction.
    lockHolder = new pg.Client({ connectionString: sources.get('crm')!.url });
    await lockHolder.connect();
    await lockHolder.query('BEGIN');
    await lockHolder.query('SELECT id FROM contacts WHERE id = 1 FOR UPDATE');

    const first = await startWorker();
    const submitted = await runSteward(
      [
        '--config',
        configFile,
        '--json',
        'dsr',
        'submit',
        '--type',
        'erasure',
        '--email',
        SUBJECT,
        '--verified',
      ],
      { cwd: folder },
    );
    assert.equal(submitted.code, 0, submitted.stderr + submitted.stdout);
    const { id } = JSON.parse(submitted.stdout) as { id: string };

    await waitUntil(
      'the first worker is inside the CRM erase step, blocked on the row lock',
      async () =>
        (await crmStep(id))?.status === 'running' && (await waitingOnLocks()) > 0 ? true : undefined,
      60_000,
    );

    // A second worker runs alongside while the first lives and beats: the step runs long past its
    // heartbeat period (and pg-boss's monitor passes), yet is never handed to the second worker.
    await startWorker();
    const alive = await waitUntil(
      'the step has outlived its heartbeat period on the first worker’s heartbeats',
      async () => {
        const step = await crmStep(id);
        return step?.heartbeat_at &&
          step.started_at &&
          step.heartbeat_at.getTime() - step.started_at.getTime() >= 3 * STEP_HEARTBEAT_SECONDS * 1000
          ? step
          : undefined;
      },
      90_000,
    );
    assert.deepEqual(
      [alive.status, alive.attempts],
      ['running', 1],
      'a live worker’s step is not taken over',
    );
    assert.deepEqual(
      await crmJob(id),
      { state: 'active', retry_count: 0 },
      'nor is its job handed out again',
    );

    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const takenOver = await waitUntil(
      'the second worker took the step over',
      async () => {
        const step = await crmStep(id);
        return step && step.attempts === 2 ? step : undefined;
      },
      120_000,
    );
    assert.equal(takenOver.status, 'running');
    await lockHolder.query('ROLLBACK');

    const closed = await waitUntil(
      'the request is closed',
      async () => {
        const row = (
          await steward.query<{ state: string; outcome_reason: string | null; closed_at: Date | null }>(
            'SELECT state, outcome_reason, closed_at FROM dsr_requests WHERE id = $1',
            [id],
          )
        ).rows[0];
        return row?.closed_at ? row : undefined;
      },
      120_000,
    );
    assert.equal(closed.state, 'completed', closed.outcome_reason ?? '');

    // Every step ran once, except the one that was taken over; it says it was resumed.
    const steps = await stepsOf(id);
    assert.deepEqual(steps.map((s) => [s.step, s.status, s.attempts]).sort(), [
      ['complete', 'succeeded', 1],
      ['erase:crm', 'succeeded', 2],
      ['erase:newsletter', 'succeeded', 1],
      ['erase:shop', 'succeeded', 1],
      ['plan', 'succeeded', 1],
    ]);
    assert.equal(steps.find((s) => s.step === 'erase:crm')!.result!.resumed, true);
    assert.ok((await crmJob(id))!.retry_count >= 1, 'the killed worker’s job was handed on');

    // In each system exactly the rows the plan selected changed, each once; the report counts them.
    for (const { system } of plan.systems) {
      const report = steps.find((s) => s.step === `erase:${system}`)!.result!.report!;
      const log = await sources
        .get(system)!
        .query<LoggedChange & Record<string, unknown>>(
          'SELECT tbl, op, old_row, new_row FROM erasure_log ORDER BY id',
        );
      assertErasedExactlyOnce(system, expected.get(system)!, report, log, dataMap);
    }
    assert.equal(
      (
        await sources
          .get('crm')!
          .query("SELECT id FROM contacts WHERE lower(email) = 'ann@example.com' OR name LIKE 'Ann%'")
      ).length,
      0,
    );
    assert.deepEqual(
      await sources.get('newsletter')!.query('SELECT id FROM subscribers ORDER BY id'),
      [{ id: 3 }],
      'only Bob’s subscription is left',
    );

    const journal = await steward.query<{ request_id: string }>('SELECT request_id FROM dsr_erasure_journal');
    assert.deepEqual(journal.rows, [{ request_id: id }], 'the erasure is journalled once');
  });
});

/**
 * The real run's report equals the dry run's, and the source's change log shows each row the dry
 * run selected deleted (or each selected field changed) exactly once, and nothing more.
 */
function assertErasedExactlyOnce(
  system: string,
  dryRun: ErasureReport,
  report: ErasureReport,
  log: LoggedChange[],
  dataMap: DataMap,
): void {
  const counts = (r: ErasureReport) =>
    r.collections.map((c) => ({
      collection: c.collection,
      rowsDeleted: c.rowsDeleted,
      rowsDeletedByCascade: c.rowsDeletedByCascade,
      fieldsMasked: c.fieldsMasked,
      rowsKept: c.rowsKept,
    }));
  assert.deepEqual(counts(report), counts(dryRun), `${system}: the report counts what the plan selected`);
  const collections = new Set(dryRun.collections.map((c) => c.collection));
  assert.deepEqual(
    log.filter((entry) => !collections.has(entry.tbl)),
    [],
    `${system}: nothing outside the plan changed`,
  );
  const keyOf = (collection: string) =>
    dataMap.systems.find((s) => s.id === system)!.collections.find((c) => c.name === collection)!.primaryKey;

  for (const collection of dryRun.collections) {
    const name = `${system}.${collection.collection}`;
    const key = keyOf(collection.collection);
    const same = (selected: Record<string, unknown>, row: Record<string, unknown>) =>
      (key.length ? key : Object.keys(selected)).every(
        (column) => String(selected[column]) === String(row[column]),
      );
    const deletes = log.filter((entry) => entry.tbl === collection.collection && entry.op === 'DELETE');
    assert.equal(
      deletes.length,
      collection.rowsDeleted + collection.rowsDeletedByCascade,
      `${name}: rows deleted`,
    );
    for (const selected of collection.changes?.deleted ?? []) {
      assert.equal(
        deletes.filter((entry) => same(selected, entry.old_row)).length,
        1,
        `${name}: ${JSON.stringify(selected)} deleted once`,
      );
    }
    for (const [field, masked] of Object.entries(collection.fieldsMasked)) {
      const changes = log.filter(
        (entry) =>
          entry.tbl === collection.collection &&
          entry.op === 'UPDATE' &&
          JSON.stringify(entry.old_row[field]) !== JSON.stringify(entry.new_row![field]),
      );
      assert.equal(changes.length, masked, `${name}.${field}: values replaced`);
      for (const selected of (collection.changes?.masked ?? []).filter((m) => m.fields.includes(field))) {
        assert.equal(
          changes.filter((entry) => same(selected.row, entry.old_row)).length,
          1,
          `${name}.${field}: ${JSON.stringify(selected.row)} masked once`,
        );
      }
    }
  }
}
