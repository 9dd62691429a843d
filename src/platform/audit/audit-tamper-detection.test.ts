import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { anAuditSetup, anErasureRequestEvent } from '../../../test/support/audit-fixtures.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import type { Database } from '../../app/database.ts';
import { loadCheckpointSigner, loadPseudonymKey, verifierKeyText } from './audit-keys.ts';
import { currentTreeHead, proveInclusion, rootHashAt } from './audit-proofs.ts';
import { exportAuditLog } from './export-audit-log.ts';
import { exportFromBytes } from './export-byte-source.ts';
import { integratePendingEntries } from './integrate-pending-entries.ts';
import { makeCheckpoints } from './make-checkpoints.ts';
import { sameHash } from './merkle-hash.ts';
import { verifyInclusion } from './merkle-proof-verification.ts';
import { recordAuditEvent } from './record-audit-event.ts';
import { parseVerifierKey } from './verifier-key.ts';
import { verifyAuditExport } from './verify-audit-export.ts';

type Tampering = (db: Kysely<Database>) => Promise<unknown>;

/** What someone with write access to the database might do to the audit tables. */
const tamperings: Record<string, Tampering> = {
  'one byte of an entry changed': (db) =>
    sql`update audit_entries set entry = replace(entry, '"req_12"', '"req_13"') where idx = 12`.execute(db),
  'one entry deleted': async (db) => {
    await sql`delete from audit_entry_details where idx = 17`.execute(db);
    await sql`delete from audit_entries where idx = 17`.execute(db);
  },
  'one entry deleted, the rest renumbered and the tree recomputed in SQL': async (db) => {
    await sql`delete from audit_entry_details`.execute(db);
    await sql`delete from audit_entries where idx = 17`.execute(db);
    await sql`update audit_entries set idx = idx + 1000000 where idx > 17`.execute(db);
    await sql`update audit_entries set idx = idx - 1000001 where idx > 1000000`.execute(db);
    await recomputeTreeInSql(db);
  },
  'two entries swapped': (db) =>
    sql`update audit_entries e set entry = o.entry, leaf_hash = o.leaf_hash
        from audit_entries o where e.tenant_id = o.tenant_id and ((e.idx = 3 and o.idx = 4) or (e.idx = 4 and o.idx = 3))`.execute(
      db,
    ),
  'an entry rewritten and the whole tree recomputed in SQL': async (db) => {
    await sql`update audit_entries set entry = replace(entry, '"outcome":"success"', '"outcome":"denied"') where idx = 5`.execute(
      db,
    );
    await recomputeTreeInSql(db);
  },
};

/**
 * Recomputes leaf hashes, every stored subtree, the frontier and the root from the entries, entirely
 * in SQL: the log is then internally consistent and its own proofs verify. Only a checkpoint
 * signed before the rewrite can reveal it.
 */
async function recomputeTreeInSql(db: Kysely<Database>): Promise<void> {
  await sql
    .raw(
      `DO $$
DECLARE
  v_size bigint; v_level int := 1; v_inserted int; v_prefix bigint := 0; v_frontier bytea := ''::bytea; v_root bytea; v_hash bytea;
BEGIN
  UPDATE audit_entries SET leaf_hash = sha256('\\x00'::bytea || convert_to(entry, 'UTF8')) WHERE tenant_id = 'default';
  DELETE FROM audit_tree_nodes WHERE tenant_id = 'default';
  INSERT INTO audit_tree_nodes (tenant_id, level, position, hash)
    SELECT 'default', 1, l.idx / 2, sha256('\\x01'::bytea || l.leaf_hash || r.leaf_hash)
    FROM audit_entries l JOIN audit_entries r ON r.tenant_id = l.tenant_id AND r.idx = l.idx + 1
    WHERE l.tenant_id = 'default' AND l.idx % 2 = 0;
  LOOP
    INSERT INTO audit_tree_nodes (tenant_id, level, position, hash)
      SELECT 'default', v_level + 1, l.position / 2, sha256('\\x01'::bytea || l.hash || r.hash)
      FROM audit_tree_nodes l JOIN audit_tree_nodes r ON r.tenant_id = l.tenant_id AND r.level = l.level AND r.position = l.position + 1
      WHERE l.tenant_id = 'default' AND l.level = v_level AND l.position % 2 = 0;
    GET DIAGNOSTICS v_inserted = ROW_COUNT;
    EXIT WHEN v_inserted = 0;
    v_level := v_level + 1;
  END LOOP;
  SELECT count(*) INTO v_size FROM audit_entries WHERE tenant_id = 'default';
  FOR b IN REVERSE 62..0 LOOP
    IF ((v_size >> b) & 1) = 1 THEN
      IF b = 0 THEN
        SELECT leaf_hash INTO v_hash FROM audit_entries WHERE tenant_id = 'default' AND idx = v_prefix;
      ELSE
        SELECT hash INTO v_hash FROM audit_tree_nodes WHERE tenant_id = 'default' AND level = b AND position = v_prefix >> b;
      END IF;
      v_frontier := v_frontier || v_hash;
      v_prefix := v_prefix + (1::bigint << b);
    END IF;
  END LOOP;
  v_root := substring(v_frontier FROM length(v_frontier) - 31 FOR 32);
  FOR i IN REVERSE (length(v_frontier) / 32 - 2)..0 LOOP
    v_root := sha256('\\x01'::bytea || substring(v_frontier FROM i * 32 + 1 FOR 32) || v_root);
  END LOOP;
  UPDATE audit_tree_state SET tree_size = v_size, frontier = v_frontier, root_hash = v_root WHERE tenant_id = 'default';
END $$`,
    )
    .execute(db);
}

/** A log of 40 events with a checkpoint published outside the database, then 10 more events. */
async function aCheckpointedLog() {
  const database = await createTestDatabase();
  const setup = anAuditSetup();
  const signer = loadCheckpointSigner(setup.config);
  const settings = { pseudonymKey: loadPseudonymKey(setup.config), batchSize: 16 };
  const record = async (from: number, to: number) => {
    for (let n = from; n < to; n++)
      await database.db.transaction().execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(n)));
    await integratePendingEntries(database.db, settings);
  };
  await record(0, 40);
  await makeCheckpoints(database.db, setup.config, signer);
  const earlierCheckpoint = readFileSync(join(setup.config.publish.directory!, 'default', '40'), 'utf8');
  await record(40, 50);
  const verifierKey = parseVerifierKey(verifierKeyText(signer.name, signer.publicKey));
  const exportAndVerify = async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await exportAuditLog(database.db, setup.config, 'default', out);
    return verifyAuditExport(
      exportFromBytes(Buffer.concat(chunks)),
      [{ source: 'published/40', note: earlierCheckpoint }],
      verifierKey,
    );
  };
  return {
    database,
    setup,
    signer,
    exportAndVerify,
    async close() {
      await database.close();
      setup.remove();
    },
  };
}

test(`an untouched log verifies offline against its earlier checkpoint, and the next checkpoint extends it`, async () => {
  const log = await aCheckpointedLog();
  try {
    const verdict = await log.exportAndVerify();
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.ok, true);
    assert.equal(verdict.entries, 50);
    assert.equal(verdict.uncovered, 10);
    const [outcome] = await makeCheckpoints(log.database.db, log.setup.config, log.signer);
    assert.deepEqual(outcome, { tenantId: 'default', treeSize: 50, created: true });
  } finally {
    await log.close();
  }
});

for (const [name, tamper] of Object.entries(tamperings)) {
  test(`${name} is detected against the earlier signed checkpoint`, async () => {
    const log = await aCheckpointedLog();
    try {
      await tamper(log.database.db);
      const verdict = await log.exportAndVerify();
      assert.equal(verdict.ok, false);
      assert.ok(
        verdict.problems.some((p) => p.startsWith('checkpoint published/40')),
        `the earlier checkpoint must fail: ${verdict.problems.join('; ')}`,
      );
    } finally {
      await log.close();
    }
  });
}

test(`after the tree is recomputed in SQL the signer refuses to checkpoint the rewritten history`, async () => {
  const log = await aCheckpointedLog();
  try {
    await tamperings['an entry rewritten and the whole tree recomputed in SQL']!(log.database.db);
    // The forgery is internally sound: the stored tree matches its entries and its own proofs verify.
    const head = await currentTreeHead(log.database.db, 'default');
    assert.ok(sameHash(await rootHashAt(log.database.db, 'default', 50), head.rootHash));
    const proof = await proveInclusion(log.database.db, 'default', 5, 50);
    assert.ok(verifyInclusion(5n, 50n, proof.leafHash, proof.proof, head.rootHash));
    await assert.rejects(makeCheckpoints(log.database.db, log.setup.config, log.signer), {
      code: 'audit.history_rewritten',
    });
  } finally {
    await log.close();
  }
});
