import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { spawnSteward, STEWARD_CLI } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../test/support/test-database.ts';
import { configSchema } from '../../app/config/config-schema.ts';
import type { AuditConfig } from './audit-config-schema.ts';
import { checkAuditKeys, loadCheckpointSigner, verifierKeyText } from './audit-keys.ts';

/** `steward <args>` with none of the test runner's STEWARD_* settings, as an operator's shell runs it; killed after 30 s (a worker that starts never exits). */
function steward(
  configFile: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('STEWARD_') && name !== 'NODE_TEST_CONTEXT',
    ),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [STEWARD_CLI, '--config', configFile, ...args],
      { env, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Audit settings whose key files would live in `folder/keys`. */
function auditKeysIn(folder: string, extra: Record<string, unknown> = {}) {
  return {
    origin: 'keys.test.example/audit',
    signingKeyRef: `file:${join(folder, 'keys', 'checkpoint-signing-key.pem')}`,
    pseudonymKeyRef: `file:${join(folder, 'keys', 'pseudonym.key')}`,
    publish: { directory: join(folder, 'published') },
    ...extra,
  };
}

/** What auditors pin, read without permission to create anything. */
function publicKeyOf(audit: AuditConfig): string {
  const signer = loadCheckpointSigner({ ...audit, createMissingKeys: false });
  return verifierKeyText(signer.name, signer.publicKey);
}

describe('audit keys of processes sharing a PostgreSQL database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-audit-keys-'));
  let database: { url: string; drop(): Promise<void> };

  before(async () => {
    database = await createPostgresDatabase();
  });
  after(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('`steward worker` refuses to start while the audit keys are missing, says which keys to set, and creates none', async () => {
    const folder = mkdtempSync(join(dir, 'missing-'));
    const configFile = join(folder, 'steward.yaml');
    writeFileSync(configFile, stringify({ database: { url: database.url }, audit: auditKeysIn(folder) }));

    const worker = await steward(configFile, 'worker');

    assert.equal(worker.code, 65);
    for (const named of [
      'audit.signingKeyRef',
      'audit.pseudonymKeyRef',
      'audit.createMissingKeys',
      'steward audit keygen',
    ])
      assert.ok(worker.stderr.includes(named), `the message names ${named}:\n${worker.stderr}`);
    assert.equal(existsSync(join(folder, 'keys')), false, 'no key was made for this process alone');
  });

  test('after `steward audit keygen`, processes given the same files start and sign with the same key', async () => {
    const folder = mkdtempSync(join(dir, 'provisioned-'));
    const configFile = join(folder, 'steward.yaml');
    writeFileSync(
      configFile,
      stringify({ database: { url: database.url, poolSize: 2 }, audit: auditKeysIn(folder) }),
    );

    const keygen = await steward(configFile, '--json', 'audit', 'keygen', '--dir', join(folder, 'keys'));
    assert.equal(keygen.code, 0, keygen.stderr);
    const made = JSON.parse(keygen.stdout) as {
      signingKeyRef: string;
      pseudonymKeyRef: string;
      verifierKey: string;
    };
    assert.deepEqual(
      { signingKeyRef: made.signingKeyRef, pseudonymKeyRef: made.pseudonymKeyRef },
      {
        signingKeyRef: auditKeysIn(folder).signingKeyRef,
        pseudonymKeyRef: auditKeysIn(folder).pseudonymKeyRef,
      },
    );
    const again = await steward(configFile, 'audit', 'keygen', '--dir', join(folder, 'keys'));
    assert.equal(again.code, 75, 'existing keys are never overwritten');

    // Explicitly not allowed to create keys: the provisioned ones are all a worker needs.
    const worker = spawnSteward(['--config', configFile, 'worker'], {
      env: { STEWARD_AUDIT__CREATE_MISSING_KEYS: 'false' },
    });
    try {
      await worker.waitForStdout(/Steward worker running \(PostgreSQL/);
    } finally {
      await worker.stop();
    }
    const publicKey = await steward(configFile, '--json', 'audit', 'public-key');
    assert.equal((JSON.parse(publicKey.stdout) as { verifierKey: string }).verifierKey, made.verifierKey);
    assert.deepEqual(readdirSync(join(folder, 'keys')).sort(), [
      'checkpoint-signing-key.pem',
      'pseudonym.key',
    ]);
  });
});

describe('where Steward may create the audit keys itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-audit-keys-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('with the embedded database the first start creates them and later starts read the same ones', () => {
    const folder = mkdtempSync(join(dir, 'embedded-'));
    const config = configSchema.parse({ audit: auditKeysIn(folder) });

    checkAuditKeys(config);
    const pseudonymKey = readFileSync(join(folder, 'keys', 'pseudonym.key'), 'utf8');
    checkAuditKeys(config);

    assert.equal(readFileSync(join(folder, 'keys', 'pseudonym.key'), 'utf8'), pseudonymKey);
    assert.ok(pseudonymKey.length >= 32);
  });

  test('on PostgreSQL with createMissingKeys: true, processes in one directory create the keys once and share them', () => {
    const folder = mkdtempSync(join(dir, 'shared-'));
    const config = configSchema.parse({
      database: { url: 'postgres://127.0.0.1:5432/test' },
      audit: auditKeysIn(folder, { createMissingKeys: true }),
    });

    checkAuditKeys(config);
    const verifierKey = publicKeyOf(config.audit);
    checkAuditKeys(config);

    assert.deepEqual(readdirSync(join(folder, 'keys')).sort(), [
      'checkpoint-signing-key.pem',
      'pseudonym.key',
    ]);
    assert.equal(publicKeyOf(config.audit), verifierKey);
  });

  test('createMissingKeys: false refuses even with the embedded database, and an unset env: key is named', () => {
    const folder = mkdtempSync(join(dir, 'refused-'));
    assert.throws(
      () => checkAuditKeys(configSchema.parse({ audit: auditKeysIn(folder, { createMissingKeys: false }) })),
      {
        code: 'audit.key_missing',
        message: /audit\.signingKeyRef/,
      },
    );
    assert.equal(existsSync(join(folder, 'keys')), false);
    assert.throws(
      () =>
        checkAuditKeys(
          configSchema.parse({
            audit: auditKeysIn(folder, {
              createMissingKeys: true,
              pseudonymKeyRef: 'env:STEWARD_TEST_UNSET_PSEUDONYM_KEY',
            }),
          }),
        ),
      {
        code: 'audit.key_missing',
        message: /audit\.pseudonymKeyRef \(env:STEWARD_TEST_UNSET_PSEUDONYM_KEY\)/,
      },
    );
  });
});
