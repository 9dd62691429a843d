import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { STEWARD_CLI } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../test/support/test-database.ts';

interface Run {
  code: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's --json output, read field by field
  json: any;
  stderr: string;
}

describe('operator CLI: first owner, API keys, secrets rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  const configFile = join(dir, 'steward.yaml');
  const keyV1 = randomBytes(32).toString('base64');
  const keyV2 = randomBytes(32).toString('base64');
  let dropDatabase = async () => {};

  before(async () => {
    const database: Record<string, string> = { dataDir: join(dir, 'db') };
    const created = await createPostgresDatabase();
    database.url = created.url;
    dropDatabase = created.drop;

    // One operator rotates here, as the policy off allows; two people rotating under four eyes is
    // src/platform/secrets/rotation-four-eyes.test.ts.
    writeFileSync(
      configFile,
      stringify({
        database,
        logging: { level: 'warn' },
        auth: { separationOfDuties: { secretsRotation: false } },
      }),
    );
  });
  after(async () => {
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

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
        (error, stdout, stderr) => {
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            json: stdout.trim() ? JSON.parse(stdout) : undefined,
            stderr,
          });
        },
      );
      child.stdin?.end(options.input ?? '');
    });
  }

  test('the first owner is created with a bootstrap key; keys are listed without secrets and revoked', async () => {
    const owner = await steward([
      'user',
      'create',
      '--email',
      'First.Owner@example.com',
      '--role',
      'owner',
      '--api-key',
    ]);
    assert.equal(owner.code, 0, owner.stderr);
    assert.deepEqual(owner.json.user.roles, ['owner']);
    assert.match(owner.json.apiKey.key, /^stw_/);
    assert.ok(owner.json.apiKey.permissions.includes('tenants:manage'));

    const again = await steward(['user', 'create', '--email', 'first.owner@example.com', '--role', 'owner']);
    assert.equal(again.code, 75, 'adding the same person twice is a conflict');
    assert.equal(again.json.code, 'users.already_member');

    const service = await steward([
      'apikey',
      'create',
      '--name',
      'crm sync',
      '--role',
      'request_agent',
      '--tenant',
      'acme',
    ]);
    assert.equal(service.code, 0, service.stderr);
    const listed = await steward(['apikey', 'list', '--tenant', 'acme']);
    assert.deepEqual(
      listed.json.apiKeys.map((k: { name: string }) => k.name),
      ['crm sync'],
    );
    assert.ok(!JSON.stringify(listed.json).includes(service.json.key));

    const revoked = await steward(['apikey', 'revoke', service.json.apiKey.id, '--tenant', 'acme']);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.ok(revoked.json.apiKey.revokedAt);
    const wrongTenant = await steward(['apikey', 'revoke', service.json.apiKey.id]);
    assert.equal(wrongTenant.code, 66, 'a key is only found in its own tenant');
  });

  test('secrets set and rotate: after rotation only the new master key version is needed', async () => {
    const set = await steward(['secrets', 'set', 'crm-password', '--tenant', 'acme'], {
      masterKey: keyV1,
      input: 'pa55word\n',
    });
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.json.secret.masterKeyVersion, 1);

    // Replicas could not share a generated key, so on PostgreSQL a master key must be given.
    const unconfirmed = await steward(['secrets', 'rotate'], { masterKey: `2:${keyV2},1:${keyV1}` });
    assert.equal(unconfirmed.code, 65, 'from a script, rotation needs --yes');
    assert.equal(unconfirmed.json.code, 'cli.confirmation_required');
    const noKey = await steward(['secrets', 'rotate', '--yes']);
    assert.equal(noKey.code, 69);
    assert.equal(noKey.json.code, 'secrets.no_master_key');

    const rotated = await steward(['secrets', 'rotate', '--yes'], { masterKey: `2:${keyV2},1:${keyV1}` });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.deepEqual(rotated.json, { toVersion: 2, rewrapped: 1, byTenant: { acme: 1 } });
    const again = await steward(['secrets', 'rotate', '--yes'], { masterKey: `2:${keyV2}` });
    assert.deepEqual(again.json, { toVersion: 2, rewrapped: 0, byTenant: {} });
  });
});
