import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { aConfigFile, spawnSteward, type StewardProcess } from '../../../test/support/steward-process.ts';

let server: StewardProcess | undefined;
after(async () => {
  await server?.stop();
});

test(`\`steward serve\` on its embedded PostgreSQL says where it listens and where the docs are, warns about nothing, and stops itself and the server on SIGINT`, async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'steward-serve-')), 'pg');
  const configFile = aConfigFile({
    database: { dataDir },
    auth: { sessionSecretRef: 'env:TEST_SESSION_SECRET' },
    logging: { level: 'warn' },
  });
  server = spawnSteward(['--config', configFile, 'serve', '--port', '0'], {
    env: { TEST_SESSION_SECRET: 'a-test-only-session-secret-of-some-length' },
  });
  const [, address] = await server.waitForStdout(
    /^Steward is listening on (http:\/\/127\.0\.0\.1:\d+) \((.+)\)\. API docs: \1\/docs\n/,
  );
  assert.match(server.stdout(), new RegExp(`\\(embedded PostgreSQL in ${dataDir}\\)`));
  const serverPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  assert.equal((await fetch(`${address}/healthz`)).status, 200);
  assert.equal((await fetch(`${address}/readyz`)).status, 200);

  server.child.kill('SIGINT');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
  // No runtime or library deprecation warnings (Node prints them as "(node:PID) …Warning: …").
  assert.doesNotMatch(server.stderr(), /\(node:\d+\) \w*Warning|FSTDEP\d+/);
  assert.match(server.stderr(), /steward: SIGINT received, shutting down gracefully\n$/);
  // The last Steward process out stops the embedded server it started.
  assert.equal(existsSync(join(dataDir, 'postmaster.pid')), false, 'the server removed its pid file');
  assert.throws(() => process.kill(serverPid, 0), /ESRCH/, 'the PostgreSQL server process is gone');
});
