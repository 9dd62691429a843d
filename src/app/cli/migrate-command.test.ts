import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { aConfigFile, runSteward } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../test/support/test-database.ts';

let postgres: { url: string; drop(): Promise<void> } | undefined;
after(() => postgres?.drop());

test('an unreachable database fails `steward migrate` after its attempts with one clear line and exit code 69', async () => {
  const configFile = aConfigFile({
    database: { url: 'postgres://steward:secret@127.0.0.1:1/x', connectAttempts: 2 },
  });
  const result = await runSteward(['--config', configFile, 'migrate']);
  assert.equal(result.code, 69);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    'steward: Cannot reach PostgreSQL at 127.0.0.1:1/x after 2 attempts (ECONNREFUSED). Check database.url and that the server is running and accepts connections.\n',
  );
  assert.doesNotMatch(result.stderr, /secret/, 'the password is not printed');
});

test(`\`steward migrate --json\` prints what it applied as JSON, then that nothing is left`, async () => {
  postgres = await createPostgresDatabase();
  const database = { url: postgres.url };
  const configFile = aConfigFile({ database });

  const first = await runSteward(['--config', configFile, '--json', 'migrate']);
  assert.equal(first.code, 0, first.stderr);
  const outcome = JSON.parse(first.stdout) as { applied: string[]; total: number };
  assert.ok(outcome.applied.includes('202611291500_core_tenants'));
  assert.equal(outcome.applied.length, outcome.total);

  const second = await runSteward(['--config', configFile, '--json', 'migrate']);
  assert.deepEqual(JSON.parse(second.stdout), { applied: [], total: outcome.total });
  const human = await runSteward(['--config', configFile, 'migrate']);
  assert.equal(human.stdout, `The schema is up to date (${outcome.total} migrations).\n`);
});
