// Audit log benchmarks (issue 5). Run: node bench/audit-append.ts [transactionsPerWriter] [entriesToVerify]
//  1. Appends/s with 8 concurrent writers on PostgreSQL, each append its own transaction, against plain
//     INSERTs of the same rows into an ordinary table in the same run (goal ≥ 0.5×). "Integrated"
//     counts an append only once the integrator has given it its index and tree nodes.
//  2. Offline verification of an export of 1M entries (read file, recompute every leaf and the root,
//     check the signed checkpoint) against Node's raw SHA-256 leaf-hashing rate (goal ≥ 0.7×).
import { hash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { anAuditSetup, anErasureRequestEvent } from '../test/support/audit-fixtures.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../test/support/test-database.ts';
import { AUDIT_EXPORT_FORMAT, type AuditExportHeader } from '../src/audit/audit-export-format.ts';
import { pendingEntryOf } from '../src/audit/audit-entry.ts';
import { loadCheckpointSigner, verifierKeyText } from '../src/audit/audit-keys.ts';
import { canonicalJson } from '../src/audit/canonical-json.ts';
import { signCheckpoint } from '../src/audit/checkpoint-note.ts';
import { integratePendingEntries } from '../src/audit/integrate-pending-entries.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from '../src/audit/merkle-frontier.ts';
import { recordAuditEvent } from '../src/audit/record-audit-event.ts';
import { pseudonymiseSubject } from '../src/audit/subject-pseudonym.ts';
import { parseVerifierKey } from '../src/audit/verifier-key.ts';
import { readExportFile, verifyAuditExport } from '../src/audit/verify-audit-export.ts';
import type { Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/open-database.ts';

const WRITERS = 8;
const perWriter = Number(process.argv[2] ?? 1500);
const entriesToVerify = Number(process.argv[3] ?? 1_000_000);

await benchAppends();
await benchVerification();

async function benchAppends(): Promise<void> {
  const created = await createPostgresDatabase('steward_bench');
  const database = await openDatabase({
    ...testDatabaseConfig('unused', created.url),
    poolSize: WRITERS + 2,
  });
  try {
    await migrateToLatest(database.db);
    await sql`create table bench_plain_rows (id bigint generated always as identity primary key, tenant_id text not null references tenants(id), body text not null, subject_ref text, source_address text)`.execute(
      database.db,
    );
    const total = WRITERS * perWriter;
    const settings = { pseudonymKey: randomBytes(32), batchSize: 2_000 };
    // Warm the pool and the plans, then alternate so both see the same machine load.
    await plainInserts(database.db, 50);
    await auditAppends(database.db, 50, settings);
    const plain: number[] = [];
    const audit: { committed: number; integrated: number }[] = [];
    for (let round = 0; round < 2; round++) {
      plain.push(total / (await plainInserts(database.db, perWriter)));
      audit.push(await auditAppends(database.db, perWriter, settings));
    }
    const best = {
      plain: Math.max(...plain),
      committed: Math.max(...audit.map((a) => a.committed)),
      integrated: Math.max(...audit.map((a) => a.integrated)),
    };
    console.log(
      `audit appends, ${WRITERS} concurrent writers × ${perWriter} transactions on PostgreSQL (best of 2)`,
    );
    console.log(`  plain INSERT transactions:      ${Math.round(best.plain)} /s`);
    console.log(
      `  audit appends committed:        ${Math.round(best.committed)} /s = ${(best.committed / best.plain).toFixed(2)}× plain`,
    );
    console.log(
      `  audit appends integrated:       ${Math.round(best.integrated)} /s = ${(best.integrated / best.plain).toFixed(2)}× plain (goal ≥ 0.5×)`,
    );
  } finally {
    await database.close();
    await created.drop();
  }
}

/** Seconds for WRITERS × n single-row INSERT transactions into an ordinary table. */
async function plainInserts(db: Kysely<Database>, n: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < n; i++) {
        const event = anErasureRequestEvent(w * 1_000_000 + i);
        await db
          .transaction()
          .execute((trx) =>
            sql`insert into bench_plain_rows (tenant_id, body, subject_ref, source_address) values (${event.tenantId}, ${JSON.stringify(event)}, ${event.subjectRef}, ${event.sourceAddress})`.execute(
              trx,
            ),
          );
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Rates for WRITERS × n transactions each recording one audit event, with the integrator running alongside. */
async function auditAppends(
  db: Kysely<Database>,
  n: number,
  settings: { pseudonymKey: Uint8Array; batchSize: number },
): Promise<{ committed: number; integrated: number }> {
  const started = performance.now();
  let writing = true;
  const integrator = (async () => {
    while (writing) {
      if ((await integratePendingEntries(db, settings)) === 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < n; i++)
        await db
          .transaction()
          .execute((trx) => recordAuditEvent(trx, anErasureRequestEvent(w * 1_000_000 + i)));
    }),
  );
  const committedSeconds = (performance.now() - started) / 1000;
  writing = false;
  await integrator;
  await integratePendingEntries(db, settings);
  const integratedSeconds = (performance.now() - started) / 1000;
  return { committed: (WRITERS * n) / committedSeconds, integrated: (WRITERS * n) / integratedSeconds };
}

async function benchVerification(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'steward-bench-audit-'));
  const setup = anAuditSetup();
  try {
    // Entries shaped exactly as the integrator writes them (5 000 distinct people).
    const key = randomBytes(32);
    const pseudonyms = Array.from({ length: 5000 }, (_, p) => pseudonymiseSubject(key, 'default', `person-${p}@example.com`));
    const lines: string[] = [];
    const frontier = emptyFrontier();
    const prefixed: Buffer[] = [];
    for (let i = 0; i < entriesToVerify; i++) {
      const event = anErasureRequestEvent(i);
      const entry = canonicalJson({
        ...pendingEntryOf(event, new Date(Date.UTC(2026, 0, 1) + i)),
        subject: pseudonyms[i % pseudonyms.length],
        private: hash('sha256', String(i), 'base64url'),
      });
      lines.push(entry);
      const leaf = Buffer.allocUnsafe(Buffer.byteLength(entry) + 1);
      leaf[0] = 0x00;
      leaf.write(entry, 1, 'utf8');
      prefixed.push(leaf);
      appendLeaf(frontier, hash('sha256', leaf, 'buffer'));
    }
    const signer = loadCheckpointSigner(setup.config);
    const origin = `${setup.config.origin}/default`;
    const note = signCheckpoint(
      { origin, treeSize: BigInt(entriesToVerify), rootHash: frontierRoot(frontier) },
      signer,
    );
    const header: AuditExportHeader = {
      format: AUDIT_EXPORT_FORMAT,
      origin,
      tenant: 'default',
      treeSize: entriesToVerify,
      checkpoint: null,
      exportedAt: new Date().toISOString(),
    };
    const file = join(folder, 'audit.export');
    writeFileSync(file, `${JSON.stringify(header)}\n${lines.join('\n')}\n`);
    lines.length = 0;
    const verifierKey = parseVerifierKey(verifierKeyText(signer.name, signer.publicKey));
    const averageBytes = prefixed.reduce((sum, b) => sum + b.length - 1, 0) / prefixed.length;

    const raw: number[] = [];
    const parallel: number[] = [];
    const single: number[] = [];
    for (let round = 0; round < 2; round++) {
      let started = performance.now();
      for (const leaf of prefixed) hash('sha256', leaf, 'buffer');
      raw.push(entriesToVerify / ((performance.now() - started) / 1000));
      for (const [rates, threads] of [
        [parallel, availableParallelism()],
        [single, 1],
      ] as const) {
        started = performance.now();
        const result = await verifyAuditExport(
          readExportFile(file),
          [{ source: 'bench', note }],
          verifierKey,
          { threads },
        );
        const seconds = (performance.now() - started) / 1000;
        if (!result.ok) throw new Error(`verification failed: ${result.problems.join('; ')}`);
        rates.push(entriesToVerify / seconds);
      }
    }
    const best = { raw: Math.max(...raw), parallel: Math.max(...parallel), single: Math.max(...single) };
    console.log(
      `audit export verification, ${entriesToVerify} entries of ${Math.round(averageBytes)} bytes (best of 2; file read, leaves, root, signature)`,
    );
    console.log(`  raw SHA-256 leaf hashing (1 thread):  ${Math.round(best.raw)} leaves/s`);
    console.log(
      `  verify, ${availableParallelism()} threads:                ${Math.round(best.parallel)} entries/s = ${(best.parallel / best.raw).toFixed(2)}× raw (goal ≥ 0.7×)`,
    );
    console.log(
      `  verify, 1 thread:                     ${Math.round(best.single)} entries/s = ${(best.single / best.raw).toFixed(2)}× raw`,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
    setup.remove();
  }
}
