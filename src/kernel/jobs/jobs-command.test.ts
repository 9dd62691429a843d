import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { aConfigFile, runSteward, spawnSteward } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../test/support/test-database.ts';

let postgres: { url: string; drop(): Promise<void> } | undefined;
after(() => postgres?.drop());

test(`\`steward jobs dead-letters\` and \`redrive\` answer on an installation without failures`, async () => {
  postgres = await createPostgresDatabase();
  const configFile = aConfigFile({
    database: { url: postgres.url },
  });

  const listed = await runSteward(['--config', configFile, '--json', 'jobs', 'dead-letters']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(JSON.parse(listed.stdout), []);
  const human = await runSteward(['--config', configFile, 'jobs', 'dead-letters', '--queue', 'dsr.execute']);
  assert.equal(human.stdout, 'No dead letters.\n');
  const redriven = await runSteward(['--config', configFile, '--json', 'jobs', 'redrive']);
  assert.deepEqual(JSON.parse(redriven.stdout), { moved: 0 });
});

test('two `steward worker` processes share the embedded PostgreSQL server and the probe jobs run once each, on both', async () => {
  const configFile = aConfigFile({
    database: { dataDir: join(mkdtempSync(join(tmpdir(), 'steward-jobs-')), 'pg') },
    jobs: { pollIntervalSeconds: 0.5 },
    logging: { level: 'warn' },
  });
  const workers = [
    spawnSteward(['--config', configFile, 'worker']),
    spawnSteward(['--config', configFile, 'worker']),
  ];
  try {
    await Promise.all(workers.map((worker) => worker.waitForStdout(/Steward worker running/)));
    const result = await runSteward([
      '--config',
      configFile,
      '--json',
      'jobs',
      'probe',
      '--count',
      '40',
      '--hold-ms',
      '100',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      ran: number;
      duplicates: number;
      workers: { worker: string }[];
    };
    assert.equal(report.ran, 40);
    assert.equal(report.duplicates, 0);
    assert.equal(report.workers.length, 2, 'both worker processes took part');
  } finally {
    for (const worker of workers) assert.equal((await worker.stop()).code, 0);
  }
});
