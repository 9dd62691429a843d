import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../test/support/start-dsr-test-app.ts';
import { runSteward } from '../../../test/support/steward-process.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../test/support/test-source-systems.ts';
import {
  BREACH_SHOP_SQL,
  misdirectedOrderExportBreachYaml,
  writeBreachShopFolder,
} from '../../modules/governance/test-support/governance-fixture.ts';
import { NEWSLETTER_NOTICE_BODY } from '../../../test/support/notice-bodies.ts';

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
    for (const role of ['request_agent', 'privacy_officer', 'auditor', 'owner'])
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

  test('an owner adds a person through the server; an officer imports consents, the bad line reported as locally', async () => {
    const added = await as(
      'owner',
      '--server',
      server,
      '--json',
      'user',
      'create',
      '--email',
      'new.analyst@shop.example',
      '--role',
      'auditor',
    );
    assert.equal(added.code, 0, added.stdout);
    const { user } = JSON.parse(added.stdout) as { user: { id: string } };
    const membership = await t.services.database.db
      .selectFrom('tenant_memberships')
      .select(['tenant_id', 'role'])
      .where('user_id', '=', user.id)
      .execute();
    assert.deepEqual(membership, [{ tenant_id: 'default', role: 'auditor' }]);
    const officer = await as(
      'privacy_officer',
      '--server',
      server,
      'user',
      'create',
      '--email',
      'x@shop.example',
      '--role',
      'owner',
    );
    assert.equal(officer.code, 77);
    assert.match(officer.stderr, /needs the permission users:manage/);

    const notice = await t.app.inject({
      method: 'POST',
      url: '/v1/consent/notices',
      headers: await t.headers('owner'),
      payload: NEWSLETTER_NOTICE_BODY,
    });
    assert.equal(notice.statusCode, 201, notice.body);
    const csv = join(folder, 'consents.csv');
    writeFileSync(
      csv,
      [
        'subject,purpose,action,notice,occurred_at',
        'remote-imp-1,marketing.communications.email,given,newsletter,2026-06-01T10:00:00Z',
        'remote-imp-2,marketing.communications.email,maybe,,2026-06-01T10:00:00Z',
      ].join('\n'),
    );
    const strict = await as('privacy_officer', '--server', server, 'consent', 'import', csv);
    assert.equal(strict.code, 65);
    assert.match(
      strict.stdout,
      /^Nothing imported \(1 of 2 records rejected; .*\nRejected:\n {2}line 3: .*action "maybe"/,
    );
    const lenient = await as(
      'privacy_officer',
      '--server',
      server,
      'consent',
      'import',
      csv,
      '--skip-invalid',
    );
    assert.equal(lenient.code, 65, 'a rejected line still fails the command');
    assert.match(lenient.stdout, /^Imported 1 of 2 records\./);
    const imported = await t.services.database.db
      .selectFrom('consent_state')
      .select(['purpose', 'status'])
      .where('source', '=', 'import')
      .execute();
    assert.deepEqual(imported, [{ purpose: 'marketing.communications.email', status: 'given' }]);
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

/**
 * Governance, discovery and masking from an operator's laptop: the server's data map names a real
 * shop database; the CLI has neither configuration nor database and acts as each key's role.
 */
describe('governance, discovery and masking commands in remote mode', () => {
  let t: DsrTestApp;
  let source: TestSourceSystem;
  let server: string;
  let folder: string;
  const keys: Record<string, string> = {};

  before(async () => {
    source = await createSourceSystem('postgres', 'shop');
    await source.exec(BREACH_SHOP_SQL);
    t = await startDsrTestApp({ config: { datamap: { path: writeBreachShopFolder(source.url!) } } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    server = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    for (const role of ['request_agent', 'privacy_officer', 'auditor', 'developer', 'owner'])
      keys[role] = (await t.headers(role)).authorization!.slice('Bearer '.length);
    folder = mkdtempSync(join(tmpdir(), 'steward-remote-governance-'));
  });
  after(async () => {
    await t?.close();
    await source?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const as = (role: string, ...args: string[]) =>
    runSteward(['--server', server, ...args], {
      cwd: folder,
      env: { STEWARD_PROFILES: join(folder, 'profiles.json'), STEWARD_API_KEY: keys[role]! },
    });

  test('the officer records and counts a breach; the auditor lists it and exports the record; an agent is refused', async () => {
    const file = join(folder, 'breach.yaml');
    writeFileSync(file, misdirectedOrderExportBreachYaml());
    const recorded = await as('privacy_officer', '--json', 'breach', 'record', '--file', file);
    assert.equal(recorded.code, 0, recorded.stderr);
    const { id } = JSON.parse(recorded.stdout) as { id: string };

    const counted = await as('privacy_officer', 'breach', 'count', id);
    assert.equal(counted.code, 0, counted.stderr);
    const [truth] = await source.query<{ subjects: string; records: string }>(
      "select count(distinct customer_id) as subjects, count(*) as records from orders where placed_at >= '2026-02-01' and placed_at < '2026-02-11'",
    );
    assert.match(
      counted.stdout,
      new RegExp(`affected: {2}shop\\.orders · ${truth!.subjects} subjects, ${truth!.records} records`),
    );
    const stored = await t.services.database.db
      .selectFrom('governance_breaches')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(JSON.stringify(stored).includes(truth!.records), 'the count is stored on the server');

    const listed = await as('auditor', '--json', 'breach', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((b) => b.id),
      [id],
    );
    const ropa = await as('auditor', 'ropa', 'export', '--format', 'json');
    assert.equal(ropa.code, 0, ropa.stderr);
    const record = JSON.parse(ropa.stdout) as { tenantId: string; entries: { systems: string[] }[] };
    assert.equal(record.tenantId, 'default');
    assert.ok(record.entries.some((e) => e.systems.includes('shop')));

    const agent = await as('request_agent', 'breach', 'list');
    assert.equal(agent.code, 77, 'forbidden: EX_NOPERM');
    assert.equal(
      agent.stderr,
      'steward: This route needs the permission governance:read, which your role or key does not have.\n',
    );
    const agentJson = await as('request_agent', '--json', 'breach', 'count', id);
    assert.equal(agentJson.code, 77);
    const problem = JSON.parse(agentJson.stdout) as Record<string, unknown>;
    assert.deepEqual(
      { ...problem, instance: undefined },
      {
        type: 'https://steward.dev/problems/forbidden',
        title: 'Not allowed',
        status: 403,
        detail: 'This route needs the permission governance:write, which your role or key does not have.',
        instance: undefined,
        code: 'auth.permission_missing',
        details: { permission: 'governance:write' },
      },
      'the same problem document the API answered with',
    );
    assert.match(String(problem.instance), /^urn:steward:request:/);

    const demo = await as('privacy_officer', 'breach', 'count', id, '--demo');
    assert.equal(demo.code, 65);
    assert.match(demo.stderr, /^steward: --demo of `steward breach count` works only where Steward runs/);
    const remind = await as('privacy_officer', 'breach', 'remind');
    assert.equal(remind.code, 65);
    assert.match(
      remind.stderr,
      /`steward breach remind` works on Steward's database directly and has no remote mode/,
    );
  });

  test('a developer discovers the shop through the server and gets the data-map diff; the auditor may not start a run', async () => {
    const discovered = await as('developer', 'discover', 'shop', '--sample', '50');
    assert.equal(discovered.code, 0, discovered.stderr);
    assert.match(discovered.stdout, /^shop \(postgres\): 4 collection\(s\) sampled, up to 50 rows each/);
    assert.match(discovered.stdout, /customers \(\d+ rows, [a-z-]+\)\n {4}email +user\.contact\.email/);
    assert.doesNotMatch(discovered.stdout, /@example\.com/, 'no sampled value is printed');
    const runs = await t.services.database.db
      .selectFrom('discovery_runs')
      .select(['system', 'trigger'])
      .execute();
    assert.deepEqual(
      runs,
      [{ system: 'shop', trigger: 'api' }],
      'stored by the server, as the API run it is',
    );

    const diff = await as('developer', 'discover', 'shop', '--diff');
    assert.equal(diff.code, 0, diff.stderr);
    assert.equal(diff.stdout === '' || diff.stdout.startsWith('--- '), true, diff.stdout);

    const auditor = await as('auditor', 'discover', 'shop');
    assert.equal(auditor.code, 77);
    assert.match(auditor.stderr, /needs the permission datamap:write/);
  });

  test('masking plans and reports are read through the server; starting a copy needs masking:run', async () => {
    // The key reference is resolved by the server, which runs in this process.
    process.env.STEWARD_TEST_MASKING_KEY = 'a-masking-key-of-32-bytes-length';
    const serverKey = ['--key', 'env:STEWARD_TEST_MASKING_KEY'];
    const plan = await as('developer', '--json', 'mask', 'plan', '--from', 'shop', ...serverKey);
    assert.equal(plan.code, 0, plan.stdout);
    const planned = JSON.parse(plan.stdout) as { tables: { table: string; rows: number }[] };
    assert.deepEqual(
      planned.tables.map((table) => table.table).sort(),
      ['customers', 'order_items', 'orders', 'sessions'].map((name) => `public.${name}`).sort(),
    );
    const text = await as('developer', 'mask', 'plan', '--from', 'shop', ...serverKey);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /customers/);

    const runs = await as('auditor', 'mask', 'runs');
    assert.equal(runs.code, 0, runs.stderr);
    assert.equal(runs.stdout, 'No masking runs yet.\n');

    const copy = await as(
      'privacy_officer',
      'mask',
      'copy',
      '--from',
      'shop',
      '--to-dump',
      '/tmp/x.sql',
      ...serverKey,
    );
    assert.equal(copy.code, 77);
    assert.equal(
      copy.stderr,
      'steward: This route needs the permission masking:run, which your role or key does not have.\n',
    );
    const copies = await t.services.database.db.selectFrom('masking_runs').select('id').execute();
    assert.deepEqual(copies, [], 'nothing was started');

    const dump = join(folder, 'shop.sql');
    const queued = await as(
      'owner',
      '--json',
      'mask',
      'copy',
      '--from',
      'shop',
      '--to-dump',
      dump,
      '--background',
      ...serverKey,
    );
    assert.equal(queued.code, 0, queued.stdout);
    const { runId } = JSON.parse(queued.stdout) as { runId: string };
    const shown = await as('auditor', 'mask', 'show', runId);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(runId));
    const cancelled = await as('owner', '--json', 'mask', 'cancel', runId);
    assert.equal(cancelled.code, 0, cancelled.stdout);
    const [stored] = await t.services.database.db
      .selectFrom('masking_runs')
      .select(['id', 'source_system'])
      .execute();
    assert.deepEqual(stored, { id: runId, source_system: 'shop' }, 'the server holds the run it started');
    assert.equal((JSON.parse(cancelled.stdout) as { runId: string }).runId, runId);
  });
});
