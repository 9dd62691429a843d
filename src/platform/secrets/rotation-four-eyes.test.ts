import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { stringify } from 'yaml';
import { STEWARD_CLI } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../test/support/test-database.ts';

interface Run {
  code: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's --json output, read field by field
  json: any;
  stdout: string;
  stderr: string;
}

/**
 * Issue 12, item 5: re-wrapping every data key under a new master key needs two people
 * (auth.separationOfDuties.secretsRotation, on by default). The CLI is one identity (steward-cli), so
 * each operator names themselves with --as, checked against Steward's users and API keys: one
 * proposes (recorded: who, when, which key version), another carries it out. Real `steward`
 * processes on the real PostgreSQL; outcomes read back from the database.
 */
describe('four eyes on master key rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-rotation-'));
  const configFile = join(dir, 'steward.yaml');
  const v1 = randomBytes(32).toString('base64');
  const v2 = randomBytes(32).toString('base64');
  const v3 = randomBytes(32).toString('base64');
  let database: { url: string; drop(): Promise<void> };
  let client: pg.Client;
  const ids: Record<string, string> = {};

  function steward(args: string[], options: { masterKey?: string; input?: string } = {}): Promise<Run> {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !name.startsWith('STEWARD_') && name !== 'NODE_TEST_CONTEXT',
      ),
    );
    if (options.masterKey) env.STEWARD_MASTER_KEY = options.masterKey;
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [STEWARD_CLI, '--config', configFile, '--json', ...args],
        { env },
        (error, stdout, stderr) =>
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            json: stdout.trim() ? JSON.parse(stdout) : undefined,
            stdout,
            stderr,
          }),
      );
      child.stdin?.end(options.input ?? '');
    });
  }
  const versions = async () =>
    (
      await client.query<{ tenant_id: string; master_key_version: number }>(
        'SELECT tenant_id, master_key_version FROM secrets ORDER BY tenant_id',
      )
    ).rows.map((r) => `${r.tenant_id}:${r.master_key_version}`);
  /** Audit entries of an action, appended to the log or still pending. */
  const audited = async (action: string) =>
    (
      await client.query<{ entry: string }>(
        'SELECT body AS entry FROM audit_pending WHERE action = $1 UNION ALL SELECT entry FROM audit_entries WHERE action = $1',
        [action],
      )
    ).rows.map((r) => JSON.parse(r.entry) as { tenant: string; actor: { kind: string; id: string } });

  before(async () => {
    database = await createPostgresDatabase();
    // On by default; tenant "sandbox" turns it off for itself.
    writeFileSync(
      configFile,
      stringify({
        database: { url: database.url, dataDir: join(dir, 'db') },
        logging: { level: 'warn' },
        auth: { separationOfDuties: { tenants: { sandbox: { secretsRotation: false } } } },
      }),
    );
    for (const [name, email, role, tenant] of [
      ['owner', 'olga.owner@example.com', 'owner', 'default'],
      ['admin', 'adam.admin@example.com', 'admin', 'default'],
      ['auditor', 'aude.auditor@example.com', 'auditor', 'sandbox'], // creates tenant sandbox
    ] as const) {
      const created = await steward(['user', 'create', '--email', email, '--role', role, '--tenant', tenant]);
      assert.equal(created.code, 0, created.stderr);
      ids[name] = created.json.user.id;
    }
    for (const tenant of ['default', 'sandbox']) {
      const set = await steward(['secrets', 'set', 'crm-password', '--tenant', tenant], {
        masterKey: v1,
        input: `pa55-${tenant}\n`,
      });
      assert.equal(set.code, 0, set.stderr);
    }
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const both = `2:${v2},1:${v1}`;

  test('one person proposes, the same person cannot carry it out, a second person does', async () => {
    const anonymous = await steward(['secrets', 'rotate', '--yes'], { masterKey: both });
    assert.equal(anonymous.code, 65);
    assert.equal(anonymous.json.code, 'secrets.rotation_needs_names');

    const stranger = await steward(['secrets', 'rotate', '--as', 'nobody@example.com'], { masterKey: both });
    assert.equal(stranger.code, 77);
    assert.equal(stranger.json.code, 'auth.unknown_operator');
    assert.doesNotMatch(stranger.stdout + stranger.stderr, /nobody@example\.com/, 'the e-mail is not echoed');
    const auditor = await steward(['secrets', 'rotate', '--as', 'aude.auditor@example.com'], {
      masterKey: both,
    });
    assert.equal(auditor.code, 77, 'an auditor does not manage secrets');

    const proposed = await steward(['secrets', 'rotate', '--as', 'Olga.Owner@example.com'], {
      masterKey: both,
    });
    assert.equal(proposed.code, 0, proposed.stderr);
    const proposal = proposed.json.proposal;
    assert.deepEqual(
      [proposal.toVersion, proposal.state, proposal.proposedBy],
      [2, 'proposed', { kind: 'user', id: ids.owner }],
    );
    assert.deepEqual(proposed.json.tenants, ['default', 'sandbox']);
    assert.deepEqual(await versions(), ['default:1', 'sandbox:1'], 'a proposal re-wraps nothing');
    assert.doesNotMatch(JSON.stringify(proposed.json), new RegExp(v2.slice(0, 12)), 'no key material');

    const self = await steward(['secrets', 'rotate', '--approve', proposal.id, '--as', ids.owner!, '--yes'], {
      masterKey: both,
    });
    assert.equal(self.code, 77);
    assert.equal(self.json.code, 'secrets.four_eyes');
    assert.deepEqual(self.json.details.roles, ['proposer']);
    assert.deepEqual(await versions(), ['default:1', 'sandbox:1']);

    const cli = await steward(['secrets', 'rotate', '--approve', proposal.id, '--yes'], { masterKey: both });
    assert.equal(cli.code, 77, 'steward-cli is nobody’s second person');

    const carried = await steward(
      ['secrets', 'rotate', '--approve', proposal.id, '--as', 'adam.admin@example.com', '--yes'],
      { masterKey: both },
    );
    assert.equal(carried.code, 0, carried.stderr);
    assert.equal(carried.json.rewrapped, 2);
    assert.deepEqual(carried.json.proposal.carriedOutBy, { kind: 'user', id: ids.admin });
    assert.deepEqual(await versions(), ['default:2', 'sandbox:2']);

    assert.deepEqual(
      (await audited('secrets.rotation.proposed')).map((e) => e.actor.id),
      [ids.owner, ids.owner],
      'proposed, in the log of each tenant it touches',
    );
    assert.deepEqual(
      (await audited('secrets.master_key.rotated')).map((e) => e.actor.id),
      [ids.admin, ids.admin],
    );

    const again = await steward(
      ['secrets', 'rotate', '--approve', proposal.id, '--as', 'adam.admin@example.com', '--yes'],
      { masterKey: both },
    );
    assert.equal(again.code, 75, 'a proposal is carried out once');
    assert.equal(again.json.code, 'secrets.rotation_not_open');
  });

  test('a rotation touching only a tenant whose policy is off is done by one person', async () => {
    await client.query("DELETE FROM secrets WHERE tenant_id = 'default'");
    const rotated = await steward(['secrets', 'rotate', '--yes'], { masterKey: `3:${v3},2:${v2}` });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.deepEqual(rotated.json, { toVersion: 3, rewrapped: 1, byTenant: { sandbox: 1 } });
    assert.deepEqual(await versions(), ['sandbox:3']);
  });
});
