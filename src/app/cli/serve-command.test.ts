import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { aConfigFile, spawnSteward, type StewardProcess } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase, TEST_BACKEND } from '../../../test/support/test-database.ts';

let server: StewardProcess | undefined;
let postgres: { url: string; drop(): Promise<void> } | undefined;
after(async () => {
  await server?.stop();
  await postgres?.drop();
});

test(`\`steward serve\` says where it listens and where the docs are, warns about nothing, and stops on SIGINT, on ${TEST_BACKEND}`, async () => {
  if (TEST_BACKEND === 'postgres') postgres = await createPostgresDatabase();
  const dataDir = join(mkdtempSync(join(tmpdir(), 'steward-serve-')), 'db');
  const configFile = aConfigFile({
    database: postgres ? { url: postgres.url } : { dataDir },
    auth: { sessionSecretRef: 'env:TEST_SESSION_SECRET' },
    logging: { level: 'warn' },
  });
  server = spawnSteward(['--config', configFile, 'serve', '--port', '0'], {
    env: { TEST_SESSION_SECRET: 'a-test-only-session-secret-of-some-length' },
  });
  const [, address] = await server.waitForStdout(
    /^Steward is listening on (http:\/\/127\.0\.0\.1:\d+) \((.+)\)\. API docs: \1\/docs\n/,
  );
  assert.match(
    server.stdout(),
    postgres ? /\(PostgreSQL\)/ : new RegExp(`\\(embedded database in ${dataDir}\\)`),
  );
  assert.equal((await fetch(`${address}/healthz`)).status, 200);
  assert.equal((await fetch(`${address}/readyz`)).status, 200);

  server.child.kill('SIGINT');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  // No runtime or library deprecation warnings (Node prints them as "(node:PID) …Warning: …").
  assert.doesNotMatch(server.stderr(), /\(node:\d+\) \w*Warning|FSTDEP\d+/);
  assert.match(server.stderr(), /steward: SIGINT received, shutting down gracefully\n$/);
});
