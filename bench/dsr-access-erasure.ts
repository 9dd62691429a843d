// DSR access and erasure on a 10-table shop in PostgreSQL (issue 3): 100 000 customers and about
// 1.4 M rows, generated with generate_series. For random subjects, Steward's planner + executor
// against hand-written SQL doing the same lookups (access) and the same changes (erasure, one
// transaction per subject), measured in the same run, alternating. Goals: access ≤ 1.5×, erasure ≤ 2×.
// Also: 100 concurrent access requests (throughput against hand-written SQL on the same pool size),
// and the heap growth of streaming a subject with 100 000 rows against loading it at once.
// Run alone: node bench/dsr-access-erasure.ts [subjects]
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { createPostgresConnector } from '../src/platform/connectors/postgres/postgres-connector.ts';
import { validateDataMapText } from '../src/platform/datamap/load-datamap.ts';
import type { DataMap } from '../src/platform/datamap/datamap-types.ts';
import { runAccessForSystem, runErasureForSystem } from '../src/modules/dsr/use-cases/execution/index.ts';
import { planAccess, planErasure } from '../src/modules/dsr/core/planning/index.ts';
import { createPostgresDatabase } from '../test/support/test-database.ts';
import { sqlConnection } from '../test/support/test-source-systems.ts';
import { median, type Benchmark, type BenchmarkRow } from './benchmark.ts';

const CUSTOMERS = 100_000;
// Anonymising the session IPs needs a key held outside the data (an unkeyed hash only pseudonymises).
const SESSIONS_KEY = 'bench-sessions-key-0123456789abcdef';
process.env.BENCH_SESSIONS_KEY = SESSIONS_KEY;

const SCHEMA = `
create extension if not exists pgcrypto;
create table customers (id integer primary key, email text not null, name text not null, created_at timestamptz not null);
create index customers_email on customers (lower(email));
create table addresses (id integer primary key, customer_id integer not null references customers (id), street text not null, city text not null);
create index on addresses (customer_id);
create table orders (id integer primary key, customer_id integer not null references customers (id), shipping_address_id integer not null references addresses (id), placed_at timestamptz not null, total numeric(10,2) not null);
create index on orders (customer_id);
create index on orders (shipping_address_id);
create table order_items (order_id integer not null references orders (id) on delete cascade, line_no integer not null, sku text not null, qty integer not null, primary key (order_id, line_no));
create table payments (id integer primary key, order_id integer not null references orders (id), amount numeric(10,2) not null, card_last4 char(4));
create index on payments (order_id);
create table support_tickets (id integer primary key, customer_id integer not null references customers (id), subject text not null, body text);
create index on support_tickets (customer_id);
create table marketing_events (id integer primary key, customer_id integer not null references customers (id), campaign text not null, occurred_at timestamptz not null);
create index on marketing_events (customer_id);
create table sessions (customer_id integer references customers (id) on delete set null, ip text not null, user_agent text not null);
create index on sessions (customer_id);
create table reviews (id integer primary key, customer_id integer not null references customers (id), product text not null, body text not null);
create index on reviews (customer_id);
create table wishlist_items (customer_id integer not null references customers (id), product text not null, added_at timestamptz not null, primary key (customer_id, product));
`;

// Deterministic pseudo-random spread with generate_series: every customer has 1–2 addresses,
// 2 orders of 2 items with a payment each, some tickets, events, sessions, reviews and wishlist items.
const DATA = `
insert into customers select i, 'Customer' || i || '@Example.com', 'Name ' || i, now() - (i % 1000) * interval '1 day' from generate_series(1, ${CUSTOMERS}) i;
insert into addresses select i, ((i - 1) % ${CUSTOMERS}) + 1, i || ' Main Street', 'City ' || (i % 500) from generate_series(1, ${CUSTOMERS * 1.5}) i;
insert into orders select i, ((i - 1) % ${CUSTOMERS}) + 1, ((i - 1) % ${CUSTOMERS}) + 1, now() - (i % 700) * interval '1 day', (i % 300) + 0.99 from generate_series(1, ${CUSTOMERS * 2}) i;
insert into order_items select o, l, 'SKU-' || ((o * l) % 5000), 1 + (o % 3) from generate_series(1, ${CUSTOMERS * 2}) o, generate_series(1, 2) l;
insert into payments select i, i, (i % 300) + 0.99, lpad((i % 10000)::text, 4, '0') from generate_series(1, ${CUSTOMERS * 2}) i;
insert into support_tickets select i, ((i * 7 - 1) % ${CUSTOMERS}) + 1, 'Ticket ' || i, 'Body of ticket ' || i from generate_series(1, ${CUSTOMERS * 0.3}) i;
insert into marketing_events select i, ((i - 1) % ${CUSTOMERS}) + 1, 'campaign-' || (i % 40), now() - (i % 365) * interval '1 day' from generate_series(1, ${CUSTOMERS * 2}) i;
insert into sessions select ((i - 1) % ${CUSTOMERS}) + 1, '10.' || (i % 250) || '.' || (i % 200) || '.' || (i % 100), 'agent ' || (i % 50) from generate_series(1, ${CUSTOMERS}) i;
insert into reviews select i, ((i * 3 - 1) % ${CUSTOMERS}) + 1, 'product-' || (i % 900), 'Review ' || i from generate_series(1, ${CUSTOMERS / 2}) i;
insert into wishlist_items select ((i - 1) % ${CUSTOMERS}) + 1, 'product-' || i, now() from generate_series(1, ${CUSTOMERS}) i;
analyze;
`;

const DATAMAP = `
tenant: default
systems:
  - id: shop
    kind: postgres
    role: controller
    connection: { url: env:BENCH_SHOP_URL }
    collections:
${[
  [
    'customers',
    '[id]',
    '- { name: id, type: integer }\n          - { name: email, type: text, categories: [user.contact.email], identity: email }\n          - { name: name, type: text, categories: [user.name] }\n          - { name: created_at, type: timestamptz }',
  ],
  [
    'addresses',
    '[id]',
    '- { name: id, type: integer }\n          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }\n          - { name: street, type: text, categories: [user.contact.address.street] }\n          - { name: city, type: text, categories: [user.contact.address.city] }',
  ],
  [
    'orders',
    '[id]',
    "- { name: id, type: integer }\n          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }\n          - { name: shipping_address_id, type: integer, nullable: false, references: [{ field: addresses.id, direction: to, onDelete: no_action }] }\n          - { name: placed_at, type: timestamptz }\n          - { name: total, type: 'numeric(10,2)' }",
  ],
  [
    'order_items',
    '[order_id, line_no]',
    '- { name: order_id, type: integer, nullable: false, references: [{ field: orders.id, direction: from, onDelete: cascade }] }\n          - { name: line_no, type: integer }\n          - { name: sku, type: text }\n          - { name: qty, type: integer }',
  ],
  [
    'payments',
    '[id]',
    "- { name: id, type: integer }\n          - { name: order_id, type: integer, nullable: false, references: [{ field: orders.id, direction: from, onDelete: no_action }] }\n          - { name: amount, type: 'numeric(10,2)', categories: [user.financial] }\n          - { name: card_last4, type: char(4), categories: [user.financial] }",
  ],
  [
    'support_tickets',
    '[id]',
    '- { name: id, type: integer }\n          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }\n          - { name: subject, type: text }\n          - { name: body, type: text, categories: [user.content.private] }',
  ],
  [
    'marketing_events',
    '[id]',
    '- { name: id, type: integer }\n          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }\n          - { name: campaign, type: text }\n          - { name: occurred_at, type: timestamptz }',
  ],
  [
    'reviews',
    '[id]',
    '- { name: id, type: integer }\n          - { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }\n          - { name: product, type: text }\n          - { name: body, type: text, categories: [user.content.public] }',
  ],
  [
    'wishlist_items',
    '[customer_id, product]',
    '- { name: customer_id, type: integer, nullable: false, references: [{ field: customers.id, direction: from, onDelete: no_action }] }\n          - { name: product, type: text }\n          - { name: added_at, type: timestamptz }',
  ],
]
  .map(
    ([name, key, fields]) =>
      `      - name: ${name}\n        primaryKey: ${key}\n        erasure: delete_row\n        purposes: [{ use: essential.service, legalBasis: contract }]\n        fields:\n          ${fields}`,
  )
  .join('\n')}
      - name: sessions
        primaryKey: []
        erasure: { strategy: hmac, key: env:BENCH_SESSIONS_KEY }
        purposes: [{ use: analytics, legalBasis: legitimate_interests }]
        fields:
          - { name: customer_id, type: integer, nullable: true, references: [{ field: customers.id, direction: from, onDelete: set_null }] }
          - { name: ip, type: text, categories: [user.device.ip_address] }
          - { name: user_agent, type: text }
`;

/** The same lookups a developer would write by hand: one query per table, children by parent keys. */
async function handWrittenAccess(client: pg.PoolClient, email: string): Promise<number> {
  const customers = (await client.query('select * from customers where lower(email) = $1', [email])).rows;
  const ids = customers.map((c) => c.id);
  let rows = customers.length;
  for (const table of [
    'addresses',
    'orders',
    'support_tickets',
    'marketing_events',
    'sessions',
    'reviews',
    'wishlist_items',
  ]) {
    const found = (await client.query(`select * from ${table} where customer_id = any($1)`, [ids])).rows;
    rows += found.length;
    if (table === 'orders') {
      const orderIds = found.map((o) => o.id);
      rows +=
        (await client.query('select * from order_items where order_id = any($1)', [orderIds])).rowCount ?? 0;
      rows +=
        (await client.query('select * from payments where order_id = any($1)', [orderIds])).rowCount ?? 0;
    }
  }
  return rows;
}

/** The same changes by hand, in one transaction: children first, items by cascade, session IPs keyed-hashed. */
async function handWrittenErasure(client: pg.PoolClient, email: string): Promise<void> {
  await client.query('begin');
  const ids = (
    await client.query('select id from customers where lower(email) = $1 for update', [email])
  ).rows.map((r) => r.id);
  const orderIds = (
    await client.query('select id from orders where customer_id = any($1) for update', [ids])
  ).rows.map((r) => r.id);
  await client.query(
    "update sessions set ip = encode(hmac(ip, $2, 'sha256'), 'hex') where customer_id = any($1)",
    [ids, SESSIONS_KEY],
  );
  await client.query('delete from payments where order_id = any($1)', [orderIds]);
  for (const table of ['support_tickets', 'marketing_events', 'reviews', 'wishlist_items'])
    await client.query(`delete from ${table} where customer_id = any($1)`, [ids]);
  await client.query('delete from orders where id = any($1)', [orderIds]);
  await client.query('delete from addresses where customer_id = any($1)', [ids]);
  await client.query('delete from customers where id = any($1)', [ids]);
  await client.query('commit');
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export const dsrAccessErasure: Benchmark = {
  name: `DSR access and erasure, 10-table shop on PostgreSQL (${CUSTOMERS / 1000}k subjects, ~1.4M rows)`,
  async run(): Promise<BenchmarkRow[]> {
    const subjects = Number(process.env.BENCH_DSR_SUBJECTS ?? 200);
    const created = await createPostgresDatabase('steward_bench_dsr');
    const pool = new pg.Pool({ connectionString: created.url, max: 3 });
    const connector = createPostgresConnector('shop', { ...sqlConnection(created.url), poolSize: 2 });
    try {
      process.stderr.write('  generating the shop…\n');
      await pool.query(SCHEMA);
      await pool.query(DATA);
      const validation = validateDataMapText('bench.yaml', DATAMAP);
      const errors = validation.problems.filter((p) => p.severity === 'error');
      if (errors.length) throw new Error(`bench data map invalid: ${JSON.stringify(errors)}`);
      const dataMap: DataMap = validation.dataMaps[0]!;
      const client = await pool.connect();
      try {
        // Distinct random subjects: access uses one set, each erasure side its own.
        const pick = shuffled(CUSTOMERS)
          .slice(0, subjects * 3)
          .map((i) => `customer${i}@example.com`);
        const [accessSubjects, stewardErasures, handErasures] = [
          pick.slice(0, subjects),
          pick.slice(subjects, subjects * 2),
          pick.slice(subjects * 2),
        ];
        const stewardAccess = async (email: string) => {
          let rows = 0;
          for await (const page of runAccessForSystem(
            planAccess(dataMap, { email: [email] }),
            'shop',
            connector,
          ))
            rows += page.rows.length;
          return rows;
        };
        // Same answer both ways, then warm-up.
        const [a, b] = [
          await stewardAccess(accessSubjects[0]!),
          await handWrittenAccess(client, accessSubjects[0]!),
        ];
        if (a !== b) throw new Error(`access returned ${a} rows, hand-written SQL ${b}`);
        for (const email of accessSubjects.slice(0, 20)) {
          await stewardAccess(email);
          await handWrittenAccess(client, email);
        }
        const access = { steward: [] as number[], hand: [] as number[] };
        const erasure = { steward: [] as number[], hand: [] as number[] };
        process.stderr.write(`  ${subjects} subjects each…\n`);
        for (let i = 0; i < subjects; i++) {
          access.hand.push(await timed(() => handWrittenAccess(client, accessSubjects[i]!)));
          access.steward.push(await timed(() => stewardAccess(accessSubjects[i]!)));
          erasure.hand.push(await timed(() => handWrittenErasure(client, handErasures[i]!)));
          erasure.steward.push(
            await timed(() =>
              runErasureForSystem(planErasure(dataMap, { email: [stewardErasures[i]!] }), 'shop', connector),
            ),
          );
        }
        const concurrent = await concurrentAccess(
          pool,
          stewardAccess,
          shuffled(CUSTOMERS)
            .slice(0, 100)
            .map((i) => `customer${i}@example.com`),
        );
        const memory = await whaleMemory(pool, client, dataMap, connector);
        const left = Number(
          (
            await client.query('select count(*) n from customers where lower(email) = any($1)', [
              [...stewardErasures, ...handErasures],
            ])
          ).rows[0].n,
        );
        if (left) throw new Error(`${left} erased customers are still there`);
        const row = (
          name: string,
          side: { steward: number[]; hand: number[] },
          goal: number,
        ): BenchmarkRow => {
          const value = median(side.steward);
          const baseline = median(side.hand);
          return {
            name,
            unit: 'ms',
            value,
            baseline,
            baselineName: 'hand-written SQL',
            goal: { text: `≤ ${goal}×`, met: value / baseline <= goal },
          };
        };
        return [
          row(`access, median of ${subjects} subjects`, access, 1.5),
          row(`erasure, median of ${subjects} subjects`, erasure, 2),
          {
            name: '100 concurrent access requests (pool of 2 connections)',
            unit: 'subjects/s',
            value: concurrent.steward,
            baseline: concurrent.hand,
            baselineName: 'hand-written SQL',
            goal: { text: '≥ 0.67×', met: concurrent.steward / concurrent.hand >= 0.67 },
          },
          {
            name: `peak heap growth, access of a subject with ${WHALE_ROWS / 1000}k rows`,
            unit: 'MB',
            value: memory.streamed,
            baseline: memory.loaded,
            baselineName: 'loading it at once',
            goal: { text: '≤ 0.5× (flat)', met: memory.streamed / memory.loaded <= 0.5 },
          },
        ];
      } finally {
        client.release();
      }
    } finally {
      await connector.close();
      await pool.end();
      await created.drop();
    }
  },
};

const WHALE_ROWS = 100_000;

/** Subjects per second when 100 requests run at once on the same pool size, both ways. */
async function concurrentAccess(
  pool: pg.Pool,
  steward: (email: string) => Promise<number>,
  emails: string[],
): Promise<{ steward: number; hand: number }> {
  const rate = async (one: (email: string) => Promise<unknown>) => {
    const start = performance.now();
    await Promise.all(emails.map(one));
    return emails.length / ((performance.now() - start) / 1000);
  };
  const hand = (email: string) =>
    pool.connect().then((c) => handWrittenAccess(c, email).finally(() => c.release()));
  const results = { steward: [] as number[], hand: [] as number[] };
  for (let round = 0; round < 3; round++) {
    results.hand.push(await rate(hand));
    results.steward.push(await rate(steward));
  }
  // Best of three: throughput on a shared machine is lowered by others' work, never raised.
  return { steward: Math.max(...results.steward), hand: Math.max(...results.hand) };
}

/**
 * A customer with 100 000 marketing events: the live heap's growth while Steward streams the access
 * package (pages are dropped as a package writer would after writing them) against reading the
 * same rows in one query. Garbage is collected before each sample, so what is measured is what
 * the process holds, not when V8 happens to collect.
 */
async function whaleMemory(
  pool: pg.Pool,
  client: pg.PoolClient,
  dataMap: DataMap,
  connector: ReturnType<typeof createPostgresConnector>,
): Promise<{ streamed: number; loaded: number }> {
  await pool.query(`insert into customers values (${CUSTOMERS + 1}, 'whale@example.com', 'Whale', now())`);
  await pool.query(
    `insert into marketing_events select ${CUSTOMERS * 3} + i, ${CUSTOMERS + 1}, repeat('campaign-', 8) || i, now() from generate_series(1, ${WHALE_ROWS}) i`,
  );
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const growth = async (work: (sample: () => void) => Promise<void>) => {
    gc();
    const start = process.memoryUsage().heapUsed;
    let peak = start;
    const sample = () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    await work(sample);
    sample();
    return (peak - start) / 1_048_576;
  };
  const loaded = await growth(async (sample) => {
    const ids = (
      await client.query("select id from customers where lower(email) = 'whale@example.com'")
    ).rows.map((r) => r.id);
    const rows = (await client.query('select * from marketing_events where customer_id = any($1)', [ids]))
      .rows;
    sample();
    if (rows.length !== WHALE_ROWS) throw new Error('whale rows missing');
  });
  let seen = 0;
  const streamed = await growth(async (sample) => {
    for await (const page of runAccessForSystem(
      planAccess(dataMap, { email: ['whale@example.com'] }),
      'shop',
      connector,
    )) {
      if (page.collection === 'marketing_events') seen += page.rows.length;
      sample();
    }
  });
  if (seen !== WHALE_ROWS) throw new Error(`streamed ${seen} of ${WHALE_ROWS} rows`);
  return { streamed: Math.max(streamed, 0.1), loaded };
}

function shuffled(n: number): number[] {
  const values = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

if (process.argv[1]?.endsWith('dsr-access-erasure.ts')) {
  if (process.argv[2]) process.env.BENCH_DSR_SUBJECTS = process.argv[2];
  for (const row of await dsrAccessErasure.run()) {
    console.log(
      `${row.name}: Steward ${row.value.toFixed(2)} ${row.unit}, ${row.baselineName} ${row.baseline.toFixed(2)} ${row.unit}, ratio ${(row.value / row.baseline).toFixed(2)}× (goal ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'})`,
    );
  }
}
