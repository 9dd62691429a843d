// Masked copies at scale (issue 16): a generated shop on PostgreSQL (customers, addresses, orders,
// order items without personal data, events without a primary key; 12 personal columns across
// them) copied by Steward's masked copy into an empty database, against a raw
// `COPY … TO STDOUT | COPY … FROM STDIN` of the same tables into the same empty schema, with the
// same number of tables at once, in the same run. Rows/s compare the data phases (the masked
// copy's per-table start and end times from its own run record); the masked copy's whole run
// (schema, constraints, leak check) is reported too. Each masked copy runs in a child process
// whose peak RSS is printed, for each size: memory must stay flat in table size. Last, a 10 %
// subset (seeded on customers) against the full copy's time.
// Goals: masked ≥ 0.5× raw rows/s; peak RSS of the largest size ≤ 1.5× the smallest.
// The raw pipe runs three times (before, between and after the masked copies) and its median
// counts: the machine may be shared. The child reports its CPU seconds over all its threads.
// Run alone: node bench/masked-copy.ts [rows...]   (default 1000000 5000000; BENCH_MASKING_ROWS
// with comma-separated sizes does the same for `npm run bench`; BENCH_MASKING_WORKERS=0 masks on
// the main thread only). Results and their context: src/modules/masking/README.md, "Speed".
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { migrateToLatest } from '../src/kernel/database/migrate.ts';
import { openDatabase } from '../src/kernel/database/open-database.ts';
import type { DataMapCollection, DataMapSystem } from '../src/platform/datamap/datamap-types.ts';
import { resolveSecretReference } from '../src/platform/secrets/secret-reference.ts';
import { readRunTables } from '../src/modules/masking/store/masking-run-store.ts';
import { maskingMigrations } from '../src/modules/masking/store/masking-migrations.ts';
import type { MaskingTables } from '../src/modules/masking/store/masking-tables.ts';
import { coreMigrations } from '../src/kernel/database/core-migrations.ts';
import type { CoreTables } from '../src/kernel/database/core-tables.ts';
import { executeMaskingRun } from '../src/modules/masking/use-cases/execute-masking-run.ts';
import { redactFreeText } from '../src/modules/masking/use-cases/free-text-redactor.ts';
import { requestMaskingRun } from '../src/modules/masking/use-cases/request-masking-run.ts';
import type { MaskingDeps } from '../src/modules/masking/use-cases/masking-deps.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../test/support/test-database.ts';
import { median, type Benchmark, type BenchmarkRow } from './benchmark.ts';

const SIZES = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number).length
  ? process.argv
      .slice(2)
      .filter((a) => /^\d+$/.test(a))
      .map(Number)
  : (process.env.BENCH_MASKING_ROWS ?? '1000000,5000000').split(',').map(Number);
const CONCURRENCY = 2;
process.env.STEWARD_BENCH_MASKING_KEY ??= 'bench-masking-key-0123456789abcdef';

/** The shop with `rows` rows in all: customers 10 %, addresses 10 %, orders 25 %, order items 40 %, events 15 %; IBANs and phone numbers valid. */
export function shopSql(rows: number): string {
  const customers = Math.max(10, Math.round(rows * 0.1));
  const orders = Math.round(rows * 0.25);
  const items = Math.round(rows * 0.4);
  const events = rows - 2 * customers - orders - items;
  return `
    create table customers (id integer primary key, email text not null unique, first_name text not null, last_name text not null,
      phone text, born date, iban text, created_at timestamptz not null);
    insert into customers select g, 'customer' || g || '@mail' || (g % 97) || '.example', (array['Anna','Ben','Chloé','Dieter','Emma','Farid'])[1 + g % 6],
      (array['Schmidt','Martin','García','Rossi','Nowak','Smith'])[1 + g % 6] || g % 1000, '+4915' || lpad((10000000 + g)::text, 9, '0'),
      date '1950-01-01' + (g % 20000),
      'DE' || lpad((98 - ((lpad(g::text, 18, '0') || '131400')::numeric % 97))::text, 2, '0') || lpad(g::text, 18, '0'), timestamptz '2024-01-01' + g * interval '1 minute'
      from generate_series(1, ${customers}) g;
    create table addresses (id integer primary key, customer_id integer not null references customers (id), street text not null, city text not null, postal_code text not null);
    insert into addresses select g, g, 'Hauptstraße ' || (g % 200), (array['Berlin','Hamburg','München','Köln'])[1 + g % 4], lpad((g % 99999)::text, 5, '0')
      from generate_series(1, ${customers}) g;
    create table orders (id bigint primary key, customer_id integer not null references customers (id), buyer_email text not null, total numeric(10,2) not null, card_number text);
    insert into orders select g, 1 + g % ${customers}, 'customer' || (1 + g % ${customers}) || '@mail' || ((1 + g % ${customers}) % 97) || '.example', (g % 10000) / 100.0,
      '4111 1111 ' || lpad((g % 10000)::text, 4, '0') || ' 1111' from generate_series(1, ${orders}) g;
    create table order_items (order_id bigint not null references orders (id), line_no integer not null, product_code text not null, qty integer not null, primary key (order_id, line_no));
    insert into order_items select 1 + (g - 1) / 2 % ${orders}, 1 + (g - 1) % 2 + 2 * ((g - 1) / (2 * ${orders})), 'P-' || (g % 500), 1 + g % 3 from generate_series(1, ${items}) g;
    create table events (customer_email text, kind text not null, at timestamptz not null);
    insert into events select case when g % 4 = 0 then null else 'customer' || (1 + g % ${customers}) || '@mail' || ((1 + g % ${customers}) % 97) || '.example' end,
      (array['login','view','cart'])[1 + g % 3], timestamptz '2024-01-01' + g * interval '1 second' from generate_series(1, ${Math.max(0, events)}) g;
    analyze;`;
}

const TABLES = ['customers', 'addresses', 'orders', 'order_items', 'events'];

function system(url: string): DataMapSystem {
  const collection = (name: string, primaryKey: string[], fields: [string, string][]): DataMapCollection => ({
    system: 'shop',
    name,
    primaryKey,
    fields: fields.map(([field, category]) => ({
      name: field,
      categories: [category],
      references: [],
      purposes: [],
      review: false,
    })),
    purposes: [],
    dataSubjects: ['customer'],
    review: false,
    source: 'bench',
  });
  return {
    id: 'shop',
    kind: 'postgres',
    connection: { url, poolSize: 3, statementTimeoutMs: 0, connectTimeoutMs: 5000 },
    role: 'controller',
    recipients: [],
    transfers: [],
    source: 'bench',
    collections: [
      collection(
        'customers',
        ['id'],
        [
          ['email', 'user.contact.email'],
          ['first_name', 'user.name.first'],
          ['last_name', 'user.name.last'],
          ['phone', 'user.contact.phone_number'],
          ['born', 'user.demographic.date_of_birth'],
          ['iban', 'user.financial.bank_account'],
        ],
      ),
      collection(
        'addresses',
        ['id'],
        [
          ['street', 'user.contact.address.street'],
          ['city', 'user.contact.address.city'],
          ['postal_code', 'user.contact.address.postal_code'],
        ],
      ),
      collection(
        'orders',
        ['id'],
        [
          ['buyer_email', 'user.contact.email'],
          ['card_number', 'user.financial.credit_card'],
        ],
      ),
      collection('order_items', ['order_id', 'line_no'], []),
      collection('events', [], [['customer_email', 'user.contact.email']]),
    ],
  };
}

async function exec(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The baseline: the same tables piped through COPY, `CONCURRENCY` at once, into tables without constraints (emptied first). */
async function rawCopy(sourceUrl: string, targetUrl: string): Promise<number> {
  const schema = await exec(
    targetUrl,
    `
    drop table if exists customers, addresses, orders, order_items, events;
    create table customers (id integer, email text, first_name text, last_name text, phone text, born date, iban text, created_at timestamptz);
    create table addresses (id integer, customer_id integer, street text, city text, postal_code text);
    create table orders (id bigint, customer_id integer, buyer_email text, total numeric(10,2), card_number text);
    create table order_items (order_id bigint, line_no integer, product_code text, qty integer);
    create table events (customer_email text, kind text, at timestamptz);`,
  );
  void schema;
  const started = performance.now();
  const queue = [...TABLES];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let table = queue.shift(); table; table = queue.shift()) {
        const source = new pg.Client({ connectionString: sourceUrl });
        const target = new pg.Client({ connectionString: targetUrl });
        await Promise.all([source.connect(), target.connect()]);
        await pipeline(
          source.query(copyTo(`COPY ${table} TO STDOUT`)),
          target.query(copyFrom(`COPY ${table} FROM STDIN`)),
        );
        await Promise.all([source.end(), target.end()]);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

interface ChildResult {
  seconds: number;
  dataSeconds: number;
  rows: number;
  maxRssMb: number;
  /** CPU time of the whole child process (all its threads). */
  cpuSeconds: number;
  state: string;
  leakPassed: boolean;
}

/** One masked copy in a child process (its own memory), timed; the data phase from the run's table records. */
function maskedCopy(stewardUrl: string, sourceUrl: string, targetUrl: string, subset: boolean): ChildResult {
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', stewardUrl, sourceUrl, targetUrl, subset ? 'subset' : 'full'],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) throw new Error(`masked copy child failed: ${child.stderr.slice(-2000)}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ChildResult;
}

async function childMain(
  stewardUrl: string,
  sourceUrl: string,
  targetUrl: string,
  mode: string,
): Promise<void> {
  const database = await openDatabase<MaskingTables & CoreTables>(testDatabaseConfig('unused', stewardUrl));
  const db = database.db;
  const deps: MaskingDeps = {
    db,
    system: () => system(sourceUrl),
    resolveSecret: async (reference) => resolveSecretReference(reference),
    redactText: redactFreeText,
  };
  const started = performance.now();
  const id = await requestMaskingRun(deps, 'default', {
    sourceSystem: 'shop',
    target: { kind: 'database', url: targetUrl },
    actor: { kind: 'system', id: 'bench' },
    options: {
      keyReference: 'env:STEWARD_BENCH_MASKING_KEY',
      locale: 'de',
      defaultCountry: 'DE',
      concurrency: CONCURRENCY,
      ...(mode === 'subset'
        ? { subset: { where: [{ table: 'customers', condition: 'true' }], percent: 10 } }
        : {}),
    },
  });
  // BENCH_MASKING_WORKERS=0 masks on the main thread only (to compare); default: the cores available.
  const workers = process.env.BENCH_MASKING_WORKERS;
  const outcome = await executeMaskingRun(deps, 'default', id, workers ? { workers: Number(workers) } : {});
  const seconds = (performance.now() - started) / 1000;
  const tables = await db
    .selectFrom('masking_run_tables')
    .select(['started_at', 'finished_at'])
    .where('run_id', '=', id)
    .execute();
  const first = Math.min(...tables.map((t) => t.started_at!.getTime()));
  const last = Math.max(...tables.map((t) => t.finished_at!.getTime()));
  const rows = (await readRunTables(db, id)).reduce((sum, t) => sum + t.rowsCopied, 0);
  const report = outcome.kind === 'finished' ? outcome.report : undefined;
  await database.close();
  const result: ChildResult = {
    seconds,
    dataSeconds: (last - first) / 1000,
    rows,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
    state: report?.state ?? 'held',
    leakPassed: report?.leakCheck?.passed ?? false,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export const maskedCopyBenchmark: Benchmark = {
  name: 'masked copy (PostgreSQL → PostgreSQL)',
  async run(): Promise<BenchmarkRow[]> {
    const rows: BenchmarkRow[] = [];
    const steward = await createPostgresDatabase('steward_bench_mask');
    const stewardDb = await openDatabase<MaskingTables & CoreTables>(
      testDatabaseConfig('unused', steward.url),
    );
    await migrateToLatest(stewardDb.db, [coreMigrations, maskingMigrations]);
    await stewardDb.close();
    const rss: { size: number; mb: number }[] = [];
    try {
      for (const size of SIZES) {
        const source = await createPostgresDatabase('steward_bench_src');
        const rawTarget = await createPostgresDatabase('steward_bench_raw');
        const maskedTarget = await createPostgresDatabase('steward_bench_masked');
        const subsetTarget = await createPostgresDatabase('steward_bench_subset');
        try {
          process.stderr.write(`  generating ${size.toLocaleString('en-US')} rows…\n`);
          await exec(source.url, shopSql(size));
          // The machine may be shared: the raw pipe runs before, between and after the masked copies, and its median counts.
          const rawRuns = [await rawCopy(source.url, rawTarget.url)];
          const masked = maskedCopy(steward.url, source.url, maskedTarget.url, false);
          rawRuns.push(await rawCopy(source.url, rawTarget.url));
          process.stderr.write(
            `  masked copy: data ${masked.dataSeconds.toFixed(1)} s, whole run ${masked.seconds.toFixed(1)} s, ${masked.state}, leak check ${masked.leakPassed ? 'passed' : 'FAILED'}, peak RSS ${masked.maxRssMb.toFixed(0)} MB, CPU ${masked.cpuSeconds.toFixed(1)} s (all threads)\n`,
          );
          const subset = maskedCopy(steward.url, source.url, subsetTarget.url, true);
          process.stderr.write(
            `  10 % subset: whole run ${subset.seconds.toFixed(1)} s, ${subset.rows.toLocaleString('en-US')} rows\n`,
          );
          rawRuns.push(await rawCopy(source.url, rawTarget.url));
          const rawSeconds = median(rawRuns);
          process.stderr.write(
            `  raw COPY pipe: ${rawRuns.map((seconds) => seconds.toFixed(2)).join(' / ')} s (median ${rawSeconds.toFixed(2)} s)\n`,
          );
          const label = `${(size / 1e6).toFixed(size % 1e6 ? 1 : 0)} M rows`;
          const rawRate = size / rawSeconds;
          const maskedRate = masked.rows / masked.dataSeconds;
          rows.push({
            name: `${label}: masked copy, data phase`,
            unit: 'rows/s',
            value: maskedRate,
            baseline: rawRate,
            baselineName: 'raw COPY TO STDOUT | COPY FROM STDIN',
            goal: { text: '≥ 0.5× raw', met: maskedRate >= 0.5 * rawRate && masked.state === 'completed' },
          });
          rows.push({
            name: `${label}: masked copy, whole run (schema, constraints, leak check)`,
            unit: 'rows/s',
            value: masked.rows / masked.seconds,
            baseline: rawRate,
            baselineName: 'raw COPY (data only)',
            goal: { text: 'reported', met: masked.state === 'completed' },
          });
          rows.push({
            name: `${label}: 10 % subset, whole run`,
            unit: 's',
            value: subset.seconds,
            baseline: masked.seconds,
            baselineName: 'full masked copy',
            goal: {
              text: '< full copy',
              met: subset.seconds < masked.seconds && subset.state === 'completed',
            },
          });
          rss.push({ size, mb: masked.maxRssMb });
        } finally {
          for (const database of [source, rawTarget, maskedTarget, subsetTarget]) await database.drop();
        }
      }
      const smallest = rss[0]!;
      const largest = rss[rss.length - 1]!;
      rows.push({
        name: `peak RSS at ${largest.size.toLocaleString('en-US')} rows`,
        unit: 'MB',
        value: largest.mb,
        baseline: smallest.mb,
        baselineName: `peak RSS at ${smallest.size.toLocaleString('en-US')} rows`,
        goal: { text: '≤ 1.5× (flat in table size)', met: largest.mb <= 1.5 * smallest.mb },
      });
    } finally {
      await steward.drop();
    }
    return rows;
  },
};

if (import.meta.main) {
  if (process.argv[2] === '--child') {
    const [, , , stewardUrl, sourceUrl, targetUrl, mode] = process.argv as string[];
    await childMain(stewardUrl!, sourceUrl!, targetUrl!, mode!);
  } else {
    for (const row of await maskedCopyBenchmark.run()) {
      console.log(
        `${row.name}: ${row.value.toFixed(1)} ${row.unit} vs ${row.baseline.toFixed(1)} (${row.baselineName}) → ${(row.value / row.baseline).toFixed(2)}×, goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
      );
    }
  }
}
