import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { ProbeReport } from '../../src/kernel/jobs/job-probe.ts';
import { aConfigFile, runSteward, spawnSteward, type StewardProcess } from '../support/steward-process.ts';
import { createPostgresDatabase } from '../support/test-database.ts';

const PROBE_JOBS = 300;

describe('on PostgreSQL two API processes and two worker processes share the jobs', () => {
  let database: { url: string; drop(): Promise<void> };
  let configFile: string;
  let apis: StewardProcess[] = [];
  let workers: StewardProcess[] = [];
  const apiAddresses: string[] = [];

  before(async () => {
    database = await createPostgresDatabase();
    configFile = aConfigFile({
      database: { url: database.url, poolSize: 4 },
      jobs: { runInServe: false, concurrency: 4, pollIntervalSeconds: 0.5 },
      server: { port: 0 },
      logging: { level: 'warn' },
    });
    // All four start at once on an empty database: migrations and pg-boss's install must serialise.
    apis = [
      spawnSteward(['--config', configFile, '--json', 'serve']),
      spawnSteward(['--config', configFile, '--json', 'serve']),
    ];
    workers = [
      spawnSteward(['--config', configFile, '--json', 'worker']),
      spawnSteward(['--config', configFile, '--json', 'worker']),
    ];
    for (const api of apis) apiAddresses.push((await api.waitForStdout(/"address": "(http:\/\/[^"]+)"/))[1]!);
    for (const worker of workers) await worker.waitForStdout(/"role": "worker"/);
  });

  after(async () => {
    await Promise.all([...apis, ...workers].map((process) => process.stop()));
    await database?.drop();
  });

  test('both API processes are ready on one database', async () => {
    for (const address of apiAddresses) {
      const response = await fetch(`${address}/readyz`);
      assert.equal(response.status, 200);
    }
  });

  test(`${PROBE_JOBS} probe jobs each run exactly once, on both workers and never in an API process`, async () => {
    const result = await runSteward(
      [
        '--config',
        configFile,
        '--json',
        'jobs',
        'probe',
        '--count',
        String(PROBE_JOBS),
        '--hold-ms',
        '10',
        '--wait-seconds',
        '120',
      ],
      { timeoutMs: 180_000 },
    );
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const report = JSON.parse(result.stdout) as ProbeReport;
    assert.equal(report.ran, PROBE_JOBS);
    assert.equal(report.executions, PROBE_JOBS);
    assert.equal(report.duplicates, 0);
    const workerPids = workers.map((w) => w.pid).sort();
    assert.deepEqual(
      report.workers.map((w) => w.pid).sort(),
      workerPids,
      'exactly the two worker processes ran probe jobs',
    );
    for (const share of report.workers) {
      assert.match(share.worker, /^worker@/);
      assert.ok(share.jobs > 0);
    }

    // The queue's own record agrees: every job completed on its first attempt.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ state: string; retry_count: number; jobs: string }>(
        `select state, retry_count, count(*) as jobs from pgboss.job where name = 'system.probe' and data->>'runId' = $1 group by state, retry_count`,
        [report.runId],
      );
      assert.deepEqual(rows, [{ state: 'completed', retry_count: 0, jobs: String(PROBE_JOBS) }]);
      const perJob = await client.query<{ most: number }>(
        `select max(n)::int as most from (select count(*) as n from job_probes where run_id = $1 group by job_id) runs`,
        [report.runId],
      );
      assert.equal(perJob.rows[0]?.most, 1);
    } finally {
      await client.end();
    }
  });
});
