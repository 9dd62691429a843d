// Discovery (issue 13). Two measurements, each against a baseline in the same run:
// 1. Column discovery over a generated schema of 100 tables (20 000 rows each, 8 columns mixing
//    personal and other data) on PostgreSQL: Steward's discoverDatabase (catalog, bounded sampling
//    in a read-only transaction, classification of every column) against the bare sampling
//    statements alone (`SELECT … TABLESAMPLE SYSTEM … REPEATABLE … LIMIT`, the same pages) in one
//    read-only transaction. Goal: Steward ≥ 0.25× the bare statements' tables/s.
// 2. Log erasure: masking one subject's e-mail in a JSON-lines log (1 % of lines are theirs) with the
//    files connector (scan, in-place masking, temp file + fsync + rename) against a plain
//    `grep -v`-style rewrite of the same file (stream, drop lines containing the address, write).
//    Goal: ≥ 0.5× its MB/s.
// The connector's rewrite is flushed to disk before it replaces the file (fsync); the baseline's is not.
// Run alone: node bench/discovery.ts [tables] [log MB]   (default 100 and 100).
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { createConnector } from '../src/platform/connectors/create-connector.ts';
import { openCatalogFromUrl } from '../src/platform/datamap/introspection/open-catalog.ts';
import { readPostgresCatalog } from '../src/platform/datamap/introspection/postgres-catalog.ts';
import { validateDataMapText } from '../src/platform/datamap/load-datamap.ts';
import { postgresSampleQuery } from '../src/modules/discovery/sampling/postgres-sampler.ts';
import { discoverDatabase } from '../src/modules/discovery/use-cases/discover-database.ts';
import { createPostgresDatabase } from '../test/support/test-database.ts';
import { median, type Benchmark, type BenchmarkRow } from './benchmark.ts';

// Positional arguments are this file's only when it runs alone (under run-benchmarks they are names).
const ALONE = import.meta.main;
const TABLES = Number((ALONE ? process.argv[2] : undefined) ?? process.env.BENCH_DISCOVERY_TABLES ?? 100);
const LOG_MB = Number((ALONE ? process.argv[3] : undefined) ?? process.env.BENCH_DISCOVERY_LOG_MB ?? 100);
const ROWS = 20_000;
const SAMPLE = 200;
const SEED = 7;

/** A table of people-ish and business columns; every value generated in SQL (fictitious). */
function tableSql(i: number): string {
  return `create table t${i} (id int primary key, email text, full_name text, phone text, city text, amount numeric(10,2), status text, created_at timestamptz);
    insert into t${i} select g, 'user' || g || '@example.com', 'Person ' || g, '+49 30 ' || (10000000 + g), 'City ' || (g % 50),
      (g % 1000) / 10.0, case when g % 3 = 0 then 'open' else 'closed' end, now() - g * interval '1 minute' from generate_series(1, ${ROWS}) g;`;
}

async function columnDiscovery(): Promise<BenchmarkRow> {
  const source = await createPostgresDatabase('steward_bench_disc');
  const pool = new pg.Pool({ connectionString: source.url, max: 2 });
  try {
    process.stderr.write(`  generating ${TABLES} tables × ${ROWS} rows…\n`);
    for (let i = 0; i < TABLES; i++) await pool.query(tableSql(i));
    await pool.query('vacuum analyze');
    const steward: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < 3; round++) {
      const catalog = await openCatalogFromUrl(source.url);
      let started = performance.now();
      const result = await discoverDatabase({ system: 'bench', catalog, sampleSize: SAMPLE, seed: SEED });
      steward.push(performance.now() - started);
      await catalog.close();
      if (result.collections.length !== TABLES)
        throw new Error(`discovered ${result.collections.length} tables`);

      // The baseline reads the catalog too (it must know the columns), then runs the same statements.
      const client = await pool.connect();
      try {
        started = performance.now();
        await client.query('begin read only');
        const query = async (text: string, params: unknown[]) =>
          (await client.query(text, params)).rows as Record<string, unknown>[];
        const tables = await readPostgresCatalog(query, ['public']);
        const estimates = new Map(
          (await query(`select relname, reltuples::float8 as n from pg_class where relkind = 'r'`, [])).map(
            (r) => [String(r.relname), Number(r.n)],
          ),
        );
        for (const table of tables)
          await query(postgresSampleQuery(table, estimates.get(table.name) ?? -1, SAMPLE, SEED).text, []);
        await client.query('rollback');
        bare.push(performance.now() - started);
      } finally {
        client.release();
      }
    }
    const value = TABLES / (median(steward) / 1000);
    const baseline = TABLES / (median(bare) / 1000);
    return {
      name: `column discovery, ${TABLES} tables, ${SAMPLE}-row samples`,
      unit: 'tables/s',
      value,
      baseline,
      baselineName: 'bare SELECT … TABLESAMPLE of the same samples',
      goal: { text: '≥ 0.25× the bare statements', met: value >= 0.25 * baseline },
    };
  } finally {
    await pool.end();
    await source.drop();
  }
}

async function logErasure(): Promise<BenchmarkRow> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-logs-'));
  try {
    const master = join(dir, 'master.jsonl');
    const out = createWriteStream(master);
    const line = (i: number) =>
      `${JSON.stringify({ ts: new Date(1_767_225_600_000 + i * 1000).toISOString(), level: 'info', msg: `GET /orders/${i} 200`, user: { email: i % 100 === 0 ? 'ann@example.com' : `user${i % 50_000}@example.org`, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } })}\n`;
    let bytes = 0;
    for (let i = 0; bytes < LOG_MB * 1024 * 1024; i++) {
      const text = line(i);
      bytes += Buffer.byteLength(text);
      if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const megabytes = statSync(master).size / (1024 * 1024);
    const logs = join(dir, 'logs');
    const yaml = `systems:
  - id: logs
    kind: files
    connection: { directory: ${JSON.stringify(logs)} }
    collections:
      - name: api
        files: { glob: "api.log*", format: jsonl }
        fields:
          - { name: user.email, identity: email, categories: [user.contact.email], erasure: { strategy: fixed_value, value: "[erased]" } }
`;
    mkdirSync(logs);
    const system = validateDataMapText('bench.yaml', yaml).dataMaps[0]!.systems[0]!;
    const connector = createConnector(system);
    const steward: number[] = [];
    const grep: number[] = [];
    for (let round = 0; round < 3; round++) {
      copyFileSync(master, join(logs, 'api.log'));
      // Neither side pays for the other's dirty pages: the copy and the last output reach the disk first.
      execFileSync('sync');
      let started = performance.now();
      const matched = await connector.transaction((tx) =>
        tx.update({
          target: { name: 'api', primaryKey: [] },
          set: { 'user.email': { kind: 'value', value: '[erased]' } },
          where: { kind: 'in', columns: ['user.email'], tuples: [['ann@example.com']], lowercase: true },
        }),
      );
      steward.push(performance.now() - started);
      if (!matched) throw new Error('the subject was not found');

      execFileSync('sync');
      started = performance.now();
      await grepV(master, join(dir, 'grep-v.out'), 'ann@example.com');
      grep.push(performance.now() - started);
    }
    const value = megabytes / (median(steward) / 1000);
    const baseline = megabytes / (median(grep) / 1000);
    return {
      name: `log erasure, ${megabytes.toFixed(0)} MB JSON lines, 1 % of lines the subject's`,
      unit: 'MB/s',
      value,
      baseline,
      baselineName: 'grep -v-style rewrite of the same file',
      goal: { text: '≥ 0.5× the grep -v rewrite', met: value >= 0.5 * baseline },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: read, drop every line containing `needle`, write — what `grep -v needle` does. */
async function grepV(input: string, output: string, needle: string): Promise<void> {
  let rest = '';
  await pipeline(
    createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    async function* (chunks: AsyncIterable<string>) {
      for await (const chunk of chunks) {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        yield lines.filter((l) => !l.includes(needle)).join('\n') + '\n';
      }
      if (rest && !rest.includes(needle)) yield rest;
    },
    createWriteStream(output),
  );
}

export const discoveryBenchmark: Benchmark = {
  name: 'Discovery: column classification and log erasure',
  async run(): Promise<BenchmarkRow[]> {
    return [await columnDiscovery(), await logErasure()];
  },
};

if (ALONE) {
  for (const row of await discoveryBenchmark.run())
    console.log(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} vs ${row.baseline.toFixed(1)} (${row.baselineName}) → ${(row.value / row.baseline).toFixed(2)}×, goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
    );
}
