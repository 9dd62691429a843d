import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { STEWARD_CLI } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../../../test/support/test-database.ts';
import { openDatabase } from '../../kernel/database/open-database.ts';
import { recordAuditEvent } from './record-audit-event.ts';

interface Run {
  code: number;
  // The CLI's --json output, read the way a script would read it.
  json: { [key: string]: unknown } & {
    checkpoints?: { created: boolean; treeSize: number }[];
    verifierKey?: string;
    ok?: boolean;
    entries?: number;
    problems?: string[];
  };
}

describe(`steward audit export and verify, offline`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-audit-cli-'));
  const configFile = join(dir, 'steward.yaml');
  const published = join(dir, 'published');
  const database: { dataDir: string; url?: string } = { dataDir: join(dir, 'db') };
  let dropDatabase = async () => {};

  before(async () => {
    const created = await createPostgresDatabase();
    database.url = created.url;
    dropDatabase = created.drop;

    const audit = {
      origin: 'cli.test.example/audit',
      signingKeyRef: `file:${join(dir, 'keys', 'checkpoint-signing-key.pem')}`,
      pseudonymKeyRef: `file:${join(dir, 'keys', 'pseudonym.key')}`,
      publish: { directory: published },
    };
    writeFileSync(configFile, stringify({ database, audit, logging: { level: 'warn' } }));
  });
  after(async () => {
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  function steward(...args: string[]): Promise<Run> {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !name.startsWith('STEWARD_') && name !== 'NODE_TEST_CONTEXT',
      ),
    );
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [STEWARD_CLI, '--config', configFile, '--json', ...args],
        { env },
        (error, stdout) => {
          resolve({
            code: error ? Number(error.code ?? 1) : 0,
            json: stdout.trim() ? JSON.parse(stdout) : undefined,
          });
        },
      );
    });
  }

  test('an auditor verifies an export against the published checkpoint, and a changed byte fails it', async () => {
    // Keys made once for every process (required on PostgreSQL, where no process makes its own).
    assert.equal((await steward('audit', 'keygen', '--dir', join(dir, 'keys'))).code, 0);
    assert.equal(
      (await steward('user', 'create', '--email', 'owner@example.com', '--role', 'owner')).code,
      0,
    );
    const checkpoint = await steward('audit', 'checkpoint');
    assert.equal(checkpoint.code, 0);
    const [outcome] = checkpoint.json.checkpoints!;
    assert.ok(outcome);
    assert.equal(outcome.created, true);
    assert.deepEqual(readdirSync(join(published, 'default')), [String(outcome.treeSize)]);
    const checkpointFile = join(published, 'default', String(outcome.treeSize));

    const publicKey = await steward('audit', 'public-key');
    const keyFile = join(dir, 'audit.vkey');
    writeFileSync(keyFile, publicKey.json.verifierKey!);

    assert.equal((await steward('audit', 'export', '--out', join(dir, 'intact.export'))).code, 0);
    const intact = await steward(
      'audit',
      'verify',
      '--export',
      join(dir, 'intact.export'),
      '--checkpoint',
      checkpointFile,
      '--public-key',
      keyFile,
    );
    assert.equal(intact.code, 0);
    assert.equal(intact.json.ok, true);
    assert.equal(intact.json.entries, outcome.treeSize);

    const db = await openDatabase(testDatabaseConfig(database.dataDir, database.url));
    try {
      await sql`update audit_entries set entry = replace(entry, '"success"', '"failure"') where idx = 0`.execute(
        db.db,
      );
    } finally {
      await db.close();
    }
    const exported = await steward('audit', 'export', '--out', join(dir, 'tampered.export'));
    assert.equal(exported.code, 65, 'the export checks what it exports and fails, but writes the evidence');
    assert.match(
      String((exported.json.verification as { problems: string[] }).problems),
      /entry 0: its text does not hash/,
    );
    const tampered = await steward(
      'audit',
      'verify',
      '--export',
      join(dir, 'tampered.export'),
      '--checkpoint',
      checkpointFile,
      '--public-key',
      keyFile,
    );
    assert.equal(tampered.code, 65);
    assert.equal(tampered.json.ok, false);
    assert.match(tampered.json.problems!.join('\n'), /differs from the signed root/);
  });

  test('export counts what it wrote and fails on removed rows; verify --database catches a changed side record', async () => {
    const db = await openDatabase(testDatabaseConfig(database.dataDir, database.url));
    try {
      // A fresh log of 25 events for a tenant of its own, checkpointed.
      await sql`insert into tenants (id, name) values ('acme', 'Acme') on conflict do nothing`.execute(db.db);
      for (let n = 0; n < 25; n++)
        await db.db.transaction().execute((trx) =>
          recordAuditEvent(trx, {
            tenantId: 'acme',
            actor: { kind: 'user', id: 'usr_officer' },
            action: 'dsr.request.created',
            object: { type: 'dsr_request', id: `req_${n}` },
            outcome: 'success',
            subjectRef: `email:person${n}@example.com`,
            sourceAddress: '203.0.113.9',
          }),
        );
      assert.equal((await steward('audit', 'checkpoint')).code, 0);
      const clean = await steward('audit', 'verify', '--database', '--tenant', 'acme');
      assert.equal(clean.code, 0, JSON.stringify(clean.json));

      await sql`update audit_entry_details set subject_ref = 'email:someone-else@example.com' where tenant_id = 'acme' and idx = 4`.execute(
        db.db,
      );
      const changedSide = await steward('audit', 'verify', '--database', '--tenant', 'acme');
      assert.equal(changedSide.code, 65);
      assert.match(
        JSON.stringify(changedSide.json),
        /entry 4: its side record does not match the leaf's commitment/,
      );

      await sql`delete from audit_entry_details where tenant_id = 'acme' and idx in (7, 8, 9)`.execute(db.db);
      await sql`delete from audit_entries where tenant_id = 'acme' and idx in (7, 8, 9)`.execute(db.db);
      const partial = await steward(
        'audit',
        'export',
        '--tenant',
        'acme',
        '--out',
        join(dir, 'partial.export'),
      );
      assert.equal(partial.code, 65);
      assert.equal(partial.json.entriesWritten, 22, 'it says what it wrote, not what the tree state claims');
      assert.match(JSON.stringify(partial.json), /entries 7–9 are missing/);

      await sql`delete from audit_entry_details where tenant_id = 'acme'`.execute(db.db);
      await sql`delete from audit_entries where tenant_id = 'acme'`.execute(db.db);
      const empty = await steward('audit', 'export', '--tenant', 'acme', '--out', join(dir, 'empty.export'));
      assert.equal(empty.code, 65);
      assert.equal(empty.json.entriesWritten, 0);
    } finally {
      await db.close();
    }
  });
});
