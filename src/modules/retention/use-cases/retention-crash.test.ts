import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { stringify } from 'yaml';
import { configSchema } from '../../../app/config/config-schema.ts';
import { openDatabase, type StewardDatabase } from '../../../kernel/database/open-database.ts';
import type { AppServices } from '../../../app/app-services.ts';
import type { Database } from '../../../app/database.ts';
import { createStewardJobEngine } from '../../../app/start-steward.ts';
import type { JobEngine } from '../../../kernel/jobs/job-engine.ts';
import { createLogger } from '../../../kernel/logging/logger.ts';
import { closeServices, createServices } from '../../../app/create-services.ts';
import { createPostgresDatabase } from '../../../../test/support/test-database.ts';
import { spawnSteward } from '../../../../test/support/steward-process.ts';
import { tickScheduler } from './flows/flow-scheduler.ts';

/**
 * The reliability test of issue 6, on PostgreSQL whatever the run's backend: a real `steward`
 * process sweeping a large table is killed with SIGKILL (twice), then a job resumes the run. The
 * rows deleted, as the report counts them and as the table shows, are exactly the rows the rule
 * selected — none twice, none missed, none that were not due.
 */
const ROWS = 200_000;
let steward: { url: string; drop(): Promise<void> };
let sourceDb: { url: string; drop(): Promise<void> };
let source: pg.Pool;
let folder: string;
let settings: Record<string, unknown>;

before(async () => {
  steward = await createPostgresDatabase('steward_crash');
  sourceDb = await createPostgresDatabase('steward_src');
  source = new pg.Pool({ connectionString: sourceDb.url, max: 2 });
  // About 60% expired, spread through the key range so every batch mixes due and kept rows.
  await source.query(`
    CREATE TABLE events (id bigint PRIMARY KEY, email text NOT NULL, occurred_at timestamptz NOT NULL);
    INSERT INTO events SELECT g, 'user' || g || '@example.com', CASE WHEN g % 5 < 3 THEN now() - interval '3 years' - (g % 97) * interval '1 day' ELSE now() - (g % 300) * interval '1 day' END FROM generate_series(1, ${ROWS}) g;
    ANALYZE events;
  `);
  folder = mkdtempSync(join(tmpdir(), 'steward-crash-'));
  mkdirSync(join(folder, 'datamap'));
  writeFileSync(
    join(folder, 'datamap', 'app.yaml'),
    stringify({
      version: 1,
      systems: [
        {
          id: 'app',
          kind: 'postgres',
          connection: { url: sourceDb.url },
          collections: [
            {
              name: 'events',
              primaryKey: ['id'],
              retention: { keepFor: '2y', anchor: 'occurred_at', action: 'delete' },
              fields: [
                { name: 'id', type: 'bigint' },
                { name: 'email', type: 'text', identity: 'email', categories: ['user.contact.email'] },
                { name: 'occurred_at', type: 'timestamptz', categories: ['user.behavior'] },
              ],
            },
          ],
        },
      ],
    }),
  );
  settings = {
    database: { url: steward.url },
    datamap: { path: join(folder, 'datamap') },
    logging: { level: 'warn' },
    // The CLI's one operator identity runs this large sweep itself; four eyes on large runs is
    // retention-four-eyes.test.ts's subject.
    auth: { separationOfDuties: { retentionRunRowsAbove: false } },
    retention: {
      flowsPath: join(folder, 'flows'),
      sweep: { batchSize: 400, pauseMs: 2, leaseSeconds: 2 },
      stewardData: { enabled: false },
    },
  };
  writeFileSync(join(folder, 'steward.yaml'), stringify(settings));
});

after(async () => {
  await source?.end();
  await sourceDb?.drop();
  await steward?.drop();
});

async function stewardQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: steward.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return []; // not migrated yet
    throw error;
  } finally {
    await client.end();
  }
}

/** Waits until the run has swept at least `rows`, then kills the process sweeping it. */
async function killDuringRun(args: string[], rows: number): Promise<void> {
  const child = spawnSteward([...args, '--config', join(folder, 'steward.yaml')]);
  try {
    for (let i = 0; i < 1200; i++) {
      const [run] = await stewardQuery<{ rows_done: string }>('SELECT rows_done FROM retention_runs');
      if (run && Number(run.rows_done) >= rows) break;
      if (child.child.exitCode !== null)
        throw new Error(`steward exited early:\n${child.stdout()}\n${child.stderr()}`);
      await sleep(50);
    }
  } finally {
    child.child.kill('SIGKILL');
    await child.exited;
  }
}

test('a sweep killed twice mid-run is resumed by a job and deletes exactly the rows the rule selects', async () => {
  const [{ due }] = (
    await source.query<{ due: string }>(
      `SELECT count(*) AS due FROM events WHERE occurred_at < now() - interval '2 years'`,
    )
  ).rows as [{ due: string }];
  const expected = Number(due);
  assert.ok(expected > 100_000);

  await killDuringRun(['retention', 'run', 'app.events', '--yes'], expected * 0.2);
  const [run] = await stewardQuery<{ id: string; state: string; rows_done: string }>(
    'SELECT id, state, rows_done FROM retention_runs',
  );
  assert.equal(run!.state, 'running', 'the killed process left the run unfinished');
  const firstStop = Number(run!.rows_done);
  assert.ok(firstStop < expected);

  // A second process takes over once the dead one's claim has run out, and is killed as well.
  await sleep(2500);
  await killDuringRun(['retention', 'resume', run!.id], firstStop + expected * 0.2);
  const [interrupted] = await stewardQuery<{ state: string; rows_done: string }>(
    'SELECT state, rows_done FROM retention_runs',
  );
  assert.equal(interrupted!.state, 'running');
  assert.ok(
    Number(interrupted!.rows_done) > firstStop,
    'the second process continued where the first stopped',
  );

  // Restart: a worker, whose scheduler tick hands the stalled run to a resume job.
  const { services } = await startWorker();
  try {
    await sleep(2500);
    const tick = await tickScheduler(services);
    assert.equal(tick.resumedRuns, 1);
    let state = 'running';
    for (let i = 0; i < 1200 && state === 'running'; i++) {
      await sleep(100);
      state = (await stewardQuery<{ state: string }>('SELECT state FROM retention_runs'))[0]!.state;
    }
    assert.equal(state, 'completed');
  } finally {
    await closeServices(services, { graceMs: 2000 });
  }

  const [collection] = await stewardQuery<{
    report: { rowsDeleted: number; rowsSelected: number; recoveredBatches: number };
  }>('SELECT report FROM retention_run_collections');
  assert.equal(collection!.report.rowsSelected, expected);
  assert.equal(collection!.report.rowsDeleted, expected, 'the report counts every deleted row exactly once');
  const [left] = (
    await source.query<{ total: string; due: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE occurred_at < now() - interval '2 years') AS due FROM events`,
    )
  ).rows;
  assert.equal(Number(left!.due), 0, 'nothing due is left');
  assert.equal(Number(left!.total), ROWS - expected, 'nothing that was not due went');
});

async function startWorker(): Promise<{
  services: AppServices;
  jobs: JobEngine;
  database: StewardDatabase<Database>;
}> {
  const config = configSchema.parse(settings);
  const logger = createLogger({ level: 'warn' });
  const database = await openDatabase<Database>(config.database);
  const jobs = createStewardJobEngine(
    database,
    { ...config, jobs: { ...config.jobs, pollIntervalSeconds: 0.5 } },
    logger,
    {
      instanceName: 'crash-test-worker',
      concurrency: 1,
    },
  );
  const services = await createServices(config, database, jobs, logger);
  await jobs.start({ work: true, services });
  return { services, jobs, database };
}
