import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../../src/app/database.ts';
import { openDatabase } from '../../src/kernel/database/open-database.ts';
import { aConfigFile, spawnSteward, type StewardProcess } from '../support/steward-process.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../support/test-database.ts';

const SLOW_WORK_ROUTES = fileURLToPath(new URL('./fixtures/slow-work-routes.ts', import.meta.url));

let server: StewardProcess | undefined;
let postgres: { url: string; drop(): Promise<void> } | undefined;
after(async () => {
  await server?.stop();
  await postgres?.drop();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`gave up waiting for ${what}`);
}

test(`SIGTERM during a slow request and a running job: both finish, the database is closed, exit code 0`, async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'steward-shutdown-')), 'db');
  postgres = await createPostgresDatabase();
  const configFile = aConfigFile({
    database: postgres ? { url: postgres.url } : { dataDir },
    server: { port: 0, shutdownGraceMs: 20_000 },
    jobs: { runInServe: true, pollIntervalSeconds: 0.5 },
    logging: { level: 'warn' },
  });
  server = spawnSteward(['--config', configFile, '--json', 'serve'], {
    nodeArgs: ['--import', SLOW_WORK_ROUTES],
  });
  const address = (await server.waitForStdout(/"address": "(http:\/\/[^"]+)"/))[1]!;

  // A job that takes 3 s, picked up by the worker inside this serve process.
  const started = await fetch(`${address}/v1/test/probe-job`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ holdMs: 3000 }),
  });
  const { jobId, runId } = (await started.json()) as { jobId: string; runId: string };
  await until(
    async () => ((await (await fetch(`${address}/v1/test/jobs/${jobId}`)).json()) as { state: string }).state,
    (state) => state === 'active',
    'the job to start',
  );

  // A request that takes 2 s, in flight when the signal arrives.
  const slow = fetch(`${address}/v1/test/slow?ms=2000`);
  await until(
    async () => server!.stderr(),
    (text) => text.includes('fixture: slow request started'),
    'the slow request to start',
  );
  server.child.kill('SIGTERM');

  const response = await slow;
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { slept: 2000 });
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  assert.match(server.stderr(), /steward: SIGTERM received, shutting down gracefully/);

  // The embedded database's lock is released only after it was closed.
  if (!postgres)
    assert.equal(existsSync(join(dataDir, 'steward.pid')), false, 'the embedded database was closed');
  const database = await openDatabase<Database>(testDatabaseConfig(dataDir, postgres?.url));
  try {
    const job = await sql<{ state: string }>`select state from pgboss.job where id = ${jobId}`.execute(
      database.db,
    );
    assert.deepEqual(job.rows, [{ state: 'completed' }]);
    const probes = await database.db
      .selectFrom('job_probes')
      .select('run_id')
      .where('run_id', '=', runId)
      .execute();
    assert.equal(probes.length, 1, 'the job ran to its end exactly once');
  } finally {
    await database.close();
  }
});
