// Audit log benchmarks (issue 5). Standalone: node bench/audit-append.ts [transactionsPerWriter] [entriesToVerify]
//  1. Appends/s with 8 concurrent writers on PostgreSQL, each append its own transaction, against plain
//     INSERTs of the same rows into an ordinary table in the same run (goal ≥ 0.5×). An append counts
//     once the integrator (running alongside, in this process) has given it its index and tree nodes.
//  2. Offline verification of an export of 1M entries: bench/audit-verify.ts (goal ≥ 0.7× raw leaf hashing).
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { integratePendingEntries } from '../src/platform/audit/integrate-pending-entries.ts';
import { recordAuditEvent } from '../src/platform/audit/record-audit-event.ts';
import type { Database } from '../src/app/database.ts';
import { migrateSteward } from '../src/app/start-steward.ts';
import { openDatabase } from '../src/kernel/database/open-database.ts';
import { anErasureRequestEvent } from '../test/support/audit-fixtures.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../test/support/test-database.ts';
import { auditVerifyBenchmark } from './audit-verify.ts';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';

const WRITERS = 8;
const ROUNDS = 2;

export function auditLogBenchmark(perWriter = 1500, entriesToVerify = 1_000_000): Benchmark {
  return {
    name: `audit log (${WRITERS} writers × ${perWriter} transactions on PostgreSQL, best of ${ROUNDS}; export of ${entriesToVerify} entries)`,
    async run() {
      return [...(await benchAppends(perWriter)), ...(await auditVerifyBenchmark(entriesToVerify).run())];
    },
  };
}

export const auditAppendBenchmark = auditLogBenchmark();

async function benchAppends(perWriter: number): Promise<BenchmarkRow[]> {
  const created = await createPostgresDatabase('steward_bench');
  const database = await openDatabase<Database>({
    ...testDatabaseConfig('unused', created.url),
    poolSize: WRITERS + 2,
  });
  try {
    await migrateSteward(database);
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

if (import.meta.main) {
  const perWriter = Number(process.argv[2] ?? 1500);
  const entries = Number(process.argv[3] ?? 1_000_000);
  for (const row of await auditLogBenchmark(perWriter, entries).run()) {
    console.log(
      `${row.name}: ${Math.round(row.value)} ${row.unit} vs ${Math.round(row.baseline)} (${row.baselineName}) = ${(row.value / row.baseline).toFixed(2)}× — goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
    );
  }
}
