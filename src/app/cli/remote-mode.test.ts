import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../test/support/start-dsr-test-app.ts';
import { runSteward } from '../../../test/support/steward-process.ts';

/**
 * `steward --server URL`: the CLI of an operator's laptop against a running Steward, with API keys
 * of different roles. Every command goes through the API, so the server's roles decide and its
 * audit log names the key.
 */
describe('the CLI in remote mode, against a running server', () => {
  let t: DsrTestApp;
  let server: string;
  let folder: string;
  const keys: Record<string, string> = {};

  before(async () => {
    t = await startDsrTestApp({ dsr: { approvalRequired: ['erasure'] } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    server = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    for (const role of ['request_agent', 'privacy_officer', 'auditor'])
      keys[role] = (await t.headers(role)).authorization!.slice('Bearer '.length);
    folder = mkdtempSync(join(tmpdir(), 'steward-remote-'));
  });
  after(async () => {
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** `steward <args>` as the holder of a role's key; no steward.yaml and no database on this side. */
  const as = (role: string | undefined, ...args: string[]) =>
    runSteward(args, {
      cwd: folder,
      env: {
        STEWARD_PROFILES: join(folder, 'profiles.json'),
        ...(role ? { STEWARD_API_KEY: keys[role]! } : {}),
      },
    });

  test('an agent files an erasure, an auditor cannot approve it, the privacy officer does — each as their key', async () => {
    const submitted = await as(
      'request_agent',
      '--server',
      server,
      '--json',
      'dsr',
      'submit',
      '--type',
      'erasure',
      '--email',
      'remote.subject@example.com',
      '--verified',
    );
    assert.equal(submitted.code, 0, submitted.stderr);
    const request = JSON.parse(submitted.stdout) as { id: string; state: string; source: string };
    assert.equal(request.state, 'awaiting_approval');

    const auditorTries = await as('auditor', '--server', server, '--yes', 'dsr', 'approve', request.id);
    assert.equal(auditorTries.code, 77, 'forbidden: EX_NOPERM');
    assert.equal(
      auditorTries.stderr,
      'steward: This route needs the permission dsr:approve, which your role or key does not have.\n',
    );

    const unconfirmed = await as('privacy_officer', '--server', server, 'dsr', 'approve', request.id);
    assert.equal(unconfirmed.code, 65, 'no terminal and no --yes: nothing is approved');
    assert.match(
      unconfirmed.stderr,
      new RegExp(
        `Approving GDPR erasure request ${request.id} starts erasing .* Add --yes to run it from a script\\.`,
      ),
    );

    const approved = await as(
      'privacy_officer',
      '--server',
      server,
      '--yes',
      '--json',
      'dsr',
      'approve',
      request.id,
    );
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(JSON.parse(approved.stdout).state, 'in_progress');

    const status = await as('auditor', '--server', server, 'dsr', 'status', request.id);
    assert.equal(status.code, 0, status.stderr);
    const officerKeyId = (
      await t.services.database.db
        .selectFrom('api_keys')
        .select('id')
        .where('name', '=', 'test privacy_officer@default')
        .executeTakeFirstOrThrow()
    ).id;
    assert.match(status.stdout, new RegExp(`awaiting_approval → in_progress\\s+by api_key:${officerKeyId}`));
    assert.doesNotMatch(status.stdout, /remote\.subject@example\.com/, 'identity values are not printed');
  });

  test('steward login saves the server and key (readable by its owner only); --profile uses them', async () => {
    const login = await as('privacy_officer', '--server', `${server}/`, '--profile', 'ops', 'login');
    assert.equal(login.code, 0, login.stderr);
    assert.match(
      login.stdout,
      /^Logged in to http:\/\/127\.0\.0\.1:\d+ as api_key .* saved as profile "ops"/,
    );
    const saved = join(folder, 'profiles.json');
    assert.equal(statSync(saved).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), {
      ops: { server, apiKey: keys.privacy_officer },
    });

    const listed = await as(
      undefined,
      '--profile',
      'ops',
      '--json',
      'dsr',
      'status',
      '--state',
      'in_progress',
    );
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal((JSON.parse(listed.stdout) as { items: unknown[] }).items.length, 1);
    const byServer = await as(undefined, '--server', server, 'retention', 'runs');
    assert.equal(byServer.code, 0, 'the key saved for that server is used');
    assert.equal(byServer.stdout, 'No retention runs yet.\n');

    const logout = await as(undefined, '--profile', 'ops', 'logout');
    assert.equal(logout.code, 0, logout.stderr);
    const noKey = await as(undefined, '--server', server, 'dsr', 'status');
    assert.equal(noKey.code, 77);
    assert.match(
      noKey.stderr,
      /No API key for http:\/\/127\.0\.0\.1:\d+: set STEWARD_API_KEY or run `steward login/,
    );
  });

  test('a command without an API equivalent says it runs where Steward runs; a server that is down is one line', async () => {
    const local = await as('privacy_officer', '--server', server, 'retention', 'purge', '--dry-run');
    assert.equal(local.code, 65);
    assert.equal(
      local.stderr,
      "steward: `steward retention purge` works on Steward's database directly and has no remote mode: run it where Steward runs, without --server or --profile.\n",
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await as('privacy_officer', '--server', `http://127.0.0.1:${port}`, 'dsr', 'status');
    assert.equal(down.code, 69);
    assert.equal(
      down.stderr,
      `steward: Cannot reach Steward at http://127.0.0.1:${port} (ECONNREFUSED). Check --server and that Steward runs there.\n`,
    );
  });
});
