// Audit log benchmarks (issue 5). Standalone: node bench/audit-append.ts [transactionsPerWriter] [entriesToVerify]
//  1. Appends/s with 8 concurrent writers on PostgreSQL, each append its own transaction, against plain
//     INSERTs of the same rows into an ordinary table in the same run (goal ≥ 0.5×). An append counts
//     once the integrator (running alongside, in this process) has given it its index and tree nodes.
//  2. Offline verification of an export of 1M entries (read the file, recompute every leaf and the
//     root, check the signed checkpoint) against Node's raw SHA-256 leaf-hashing rate (goal ≥ 0.7×).
import { hash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { pendingEntryOf } from '../src/audit/audit-entry.ts';
import { AUDIT_EXPORT_FORMAT, type AuditExportHeader } from '../src/audit/audit-export-format.ts';
import { loadCheckpointSigner, verifierKeyText } from '../src/audit/audit-keys.ts';
import { canonicalJson } from '../src/audit/canonical-json.ts';
import { signCheckpoint } from '../src/audit/checkpoint-note.ts';
import { integratePendingEntries } from '../src/audit/integrate-pending-entries.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from '../src/audit/merkle-frontier.ts';
import { hashLeaf } from '../src/audit/merkle-hash.ts';
import { recordAuditEvent } from '../src/audit/record-audit-event.ts';
import { pseudonymiseSubject } from '../src/audit/subject-pseudonym.ts';
import { parseVerifierKey } from '../src/audit/verifier-key.ts';
import { readExportFile, verifyAuditExport } from '../src/audit/verify-audit-export.ts';
import type { Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { anAuditSetup, anErasureRequestEvent } from '../test/support/audit-fixtures.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../test/support/test-database.ts';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';

const WRITERS = 8;
const ROUNDS = 2;

export function auditLogBenchmark(perWriter = 1500, entriesToVerify = 1_000_000): Benchmark {
  return {
    name: `audit log (${WRITERS} writers × ${perWriter} transactions on PostgreSQL; export of ${entriesToVerify} entries; best of ${ROUNDS})`,
    async run() {
      return [...(await benchAppends(perWriter)), ...(await benchVerification(entriesToVerify))];
    },
  };
}

export const auditAppendBenchmark = auditLogBenchmark();

async function benchAppends(perWriter: number): Promise<BenchmarkRow[]> {
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
    const committed: number[] = [];
    const integrated: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plain.push(total / (await plainInserts(database.db, perWriter)));
      const audit = await auditAppends(database.db, perWriter, settings);
      committed.push(audit.committed);
      integrated.push(audit.integrated);
    }
    const baseline = Math.max(...plain);
    const baselineName = 'plain INSERT transactions';
    return [
      {
        name: 'audit appends, integrated',
        unit: '/s',
        value: Math.max(...integrated),
        baseline,
        baselineName,
        goal: { text: '≥ 0.5× baseline', met: Math.max(...integrated) / baseline >= 0.5 },
      },
      {
        name: 'audit appends, committed (pending)',
        unit: '/s',
        value: Math.max(...committed),
        baseline,
        baselineName,
        goal: { text: 'for reference', met: true },
      },
    ];
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
  // The integrator appends what has committed every 50 ms, as one batch (the scheduled job does the
  // same once a minute); an append counts once it is in the tree.
  const integrator = (async () => {
    while (writing) {
      await integratePendingEntries(db, settings);
      await new Promise((resolve) => setTimeout(resolve, 50));
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

async function benchVerification(entriesToVerify: number): Promise<BenchmarkRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'steward-bench-audit-'));
  const setup = anAuditSetup();
  try {
    const { file, note, reference } = writeAnExport(folder, setup.config, entriesToVerify);
    const signer = loadCheckpointSigner(setup.config);
    const verifierKey = parseVerifierKey(verifierKeyText(signer.name, signer.publicKey));
    const baseline = prefixedLeaves(file, entriesToVerify, reference);

    const raw: number[] = [];
    const parallel: number[] = [];
    const single: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(entriesToVerify / baseline.hashAllSeconds());
      for (const [rates, threads] of [
        [parallel, availableParallelism()],
        [single, 1],
      ] as const) {
        const started = performance.now();
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
    const rawRate = Math.max(...raw);
    const baselineName = `raw SHA-256(0x00‖entry), 1 thread, ${Math.round(baseline.averageBytes)}-byte entries`;
    return [
      {
        name: `verify export, ${availableParallelism()} threads`,
        unit: 'entries/s',
        value: Math.max(...parallel),
        baseline: rawRate,
        baselineName,
        goal: { text: '≥ 0.7× baseline', met: Math.max(...parallel) / rawRate >= 0.7 },
      },
      {
        name: 'verify export, 1 thread',
        unit: 'entries/s',
        value: Math.max(...single),
        baseline: rawRate,
        baselineName,
        goal: { text: 'for reference', met: true },
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
    setup.remove();
  }
}

/** An export of n entries shaped exactly as the integrator writes them (5 000 distinct people), with a signed checkpoint over all of them. */
function writeAnExport(folder: string, config: ReturnType<typeof anAuditSetup>['config'], n: number) {
  const key = randomBytes(32);
  const pseudonyms = Array.from({ length: 5000 }, (_, p) =>
    pseudonymiseSubject(key, 'default', `person-${p}@example.com`),
  );
  const lines: string[] = [];
  const frontier = emptyFrontier();
  for (let i = 0; i < n; i++) {
    const event = anErasureRequestEvent(i);
    const entry = canonicalJson({
      ...pendingEntryOf(event, new Date(Date.UTC(2026, 0, 1) + i)),
      subject: pseudonyms[i % pseudonyms.length],
      private: hash('sha256', String(i), 'base64url'),
    });
    lines.push(entry);
    appendLeaf(frontier, hashLeaf(Buffer.from(entry, 'utf8')));
  }
  const origin = `${config.origin}/default`;
  const reference = frontierRoot(frontier);
  const note = signCheckpoint(
    { origin, treeSize: BigInt(n), rootHash: reference },
    loadCheckpointSigner(config),
  );
  const header: AuditExportHeader = {
    format: AUDIT_EXPORT_FORMAT,
    origin,
    tenant: 'default',
    treeSize: n,
    checkpoint: null,
    exportedAt: new Date().toISOString(),
  };
  const file = join(folder, 'audit.export');
  writeFileSync(file, `${JSON.stringify(header)}\n${lines.join('\n')}\n`);
  return { file, note, reference };
}

/**
 * The baseline: SHA-256(0x00 ‖ entry) for every entry, already in memory and already prefixed —
 * nothing else (no file reading, no tree). Checked once to hash exactly the export's leaves.
 */
function prefixedLeaves(file: string, n: number, reference: Uint8Array) {
  const leaves = readExportFile(file);
  const starts: number[] = [];
  // The file ends with a newline, so every entry, the last too, ends just before one.
  for (let at = leaves.indexOf(0x0a) + 1; at > 0 && at < leaves.length; at = leaves.indexOf(0x0a, at) + 1) {
    starts.push(at);
    leaves[at - 1] = 0x00;
  }
  starts.push(leaves.length);
  const leaf = (i: number) => leaves.subarray(starts[i]! - 1, starts[i + 1]! - 1);
  const check = emptyFrontier();
  for (let i = 0; i < n; i++) appendLeaf(check, hash('sha256', leaf(i), 'buffer'));
  if (!Buffer.from(frontierRoot(check)).equals(Buffer.from(reference)))
    throw new Error("the baseline does not hash the export's leaves");
  return {
    averageBytes: (leaves.length - starts[0]!) / n - 1,
    hashAllSeconds() {
      const started = performance.now();
      for (let i = 0; i < n; i++) hash('sha256', leaf(i), 'buffer');
      return (performance.now() - started) / 1000;
    },
  };
}

if (import.meta.main) {
  const perWriter = Number(process.argv[2] ?? 1500);
  const entries = Number(process.argv[3] ?? 1_000_000);
  for (const row of await auditLogBenchmark(perWriter, entries).run()) {
    console.log(
      `${row.name}: ${Math.round(row.value)} ${row.unit} vs ${Math.round(row.baseline)} (${row.baselineName}) = ${(row.value / row.baseline).toFixed(2)}× — goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
    );
  }
}
