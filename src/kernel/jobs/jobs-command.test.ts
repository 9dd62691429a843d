import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { aConfigFile, runSteward } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../test/support/test-database.ts';

let postgres: { url: string; drop(): Promise<void> } | undefined;
after(() => postgres?.drop());

test(`\`steward jobs dead-letters\` and \`redrive\` answer on an installation without failures`, async () => {
  postgres = await createPostgresDatabase();
  const configFile = aConfigFile({
    database: postgres
      ? { url: postgres.url }
      : { dataDir: join(mkdtempSync(join(tmpdir(), 'steward-jobs-')), 'db') },
  });

  const listed = await runSteward(['--config', configFile, '--json', 'jobs', 'dead-letters']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(JSON.parse(listed.stdout), []);
  const human = await runSteward(['--config', configFile, 'jobs', 'dead-letters', '--queue', 'dsr.execute']);
  assert.equal(human.stdout, 'No dead letters.\n');
  const redriven = await runSteward(['--config', configFile, '--json', 'jobs', 'redrive']);
  assert.deepEqual(JSON.parse(redriven.stdout), { moved: 0 });
});

test('`steward jobs probe` on the embedded database says why it needs PostgreSQL', async () => {
  const configFile = aConfigFile({
    database: { dataDir: join(mkdtempSync(join(tmpdir(), 'steward-jobs-')), 'db') },
  });
  const result = await runSteward(['--config', configFile, 'jobs', 'probe', '--count', '10']);
  assert.equal(result.code, 65);
  assert.match(
    result.stderr,
    /^steward: The probe checks how separate worker processes share jobs; .* Set database\.url to a PostgreSQL server to run several workers\.\n$/,
  );
});
