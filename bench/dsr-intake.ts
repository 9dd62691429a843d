// Data subject request intake and execution under load (issue 12, item 14). A `steward serve` (jobs
// off), later a `steward worker`, as processes on one PostgreSQL; a 3-table shop of 20,000 customers.
//  - intake: POST /v1/requests (an agent's verified access request, a new e-mail each) for 5 s
//    from 10 connections, two alternating rounds, best of each, against the same writes by hand-written SQL behind bare Fastify (one
//    transaction: the duplicate check, the request, its identity, three history rows, three audit
//    rows, three outbox events with their stream counter, two jobs and the first step, into tables
//    of the same shape). Goal ≥ 0.5× the baseline's req/s; and, one client at a time (nothing
//    queueing), an acknowledgement in single-digit milliseconds (p50).
//  - fairness: then a `steward worker` executes the requests taken (a queue of thousands, as after
//    a burst); the first completes long before the last (no request waits behind every other
//    request's first step). Reported: from the worker's start to the first completion, the median
//    and the last. Goal: the first within a tenth of the drain.
// BENCH_DSR_INTAKE_SECONDS overrides the 5 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { stringify } from 'yaml';
import type { Database } from '../src/app/database.ts';
import { openDatabase } from '../src/kernel/database/open-database.ts';
import { issueRoleApiKey } from '../src/platform/auth/role-api-key.ts';
import { createPostgresDatabase } from '../test/support/test-database.ts';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';
import { freePort, ROOT, stewardEnv, stopProcess, waitUntilAnswering } from './bench-processes.ts';
import { threeTableShopDataMap, threeTableShopSql } from './three-table-shop.ts';

const CUSTOMERS = 20_000;
const SECONDS = Number(process.env.BENCH_DSR_INTAKE_SECONDS ?? 5);
const CONNECTIONS = 10;

const SHOP = threeTableShopSql(CUSTOMERS);
const DATAMAP = threeTableShopDataMap('BENCH_INTAKE_SHOP_URL');

/** The baseline's tables: the rows an intake writes, in plain tables of the same shape and keys. */
const BASELINE_TABLES = `
create table requests (id uuid primary key, tenant_id text not null, type text not null, state text not null,
  contact_ciphertext bytea not null, contact_hash text not null, received_at timestamptz not null, due_at timestamptz not null,
  created_at timestamptz not null default now(), closed_at timestamptz);
create index on requests (tenant_id, type, received_at) where closed_at is null;
create table request_identities (request_id uuid not null references requests (id), tenant_id text not null, name text not null,
  value_hash text not null, value_ciphertext bytea not null, primary key (request_id, name));
create index on request_identities (tenant_id, value_hash);
create table request_history (id bigserial primary key, request_id uuid not null references requests (id), from_state text, to_state text not null, at timestamptz not null default now());
create table audit_pending (id bigserial primary key, tenant_id text not null, body text not null, action text not null, recorded_at timestamptz not null default now());
create table event_streams (tenant_id text not null, stream_key text not null, last_sequence bigint not null, primary key (tenant_id, stream_key));
create table event_outbox (id uuid primary key, position bigserial unique, tenant_id text not null, stream_key text not null, stream_sequence bigint not null,
  type text not null, data jsonb not null, occurred_at timestamptz not null, routed_at timestamptz, unique (tenant_id, stream_key, stream_sequence));
create index on event_outbox (position) where routed_at is null;
create table jobs (id uuid primary key, name text not null, data jsonb not null, priority int not null default 0, state text not null default 'created',
  created_on timestamptz not null default now());
create index on jobs (name, priority desc, created_on) where state = 'created';
create table request_steps (request_id uuid not null references requests (id), step text not null, seq int not null, status text not null, primary key (request_id, step));
`;

/** The baseline server: the same intake as one hand-written transaction. */
const HAND_WRITTEN_INTAKE = `
import { createHash, randomUUID, createCipheriv, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
const pool = new pg.Pool({ connectionString: process.argv[2], max: 5 });
const key = randomBytes(32);
const seal = (text) => { const iv = randomBytes(12); const c = createCipheriv('aes-256-gcm', key, iv); return Buffer.concat([iv, c.update(text), c.final(), c.getAuthTag()]); };
const hash = (text) => createHash('sha256').update(key).update(text).digest('base64url');
const app = Fastify({ logger: { level: 'warn' } });
app.post('/v1/requests', async (request, reply) => {
  const email = String(request.body.identities.email).toLowerCase();
  const id = randomUUID();
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', ['dsr:default:' + hash(email)]);
    const duplicate = await client.query("select r.id from requests r join request_identities i on i.request_id = r.id where r.tenant_id = 'default' and r.type = 'access' and r.closed_at is null and i.value_hash = $1 limit 1", [hash(email)]);
    if (duplicate.rowCount) { await client.query('rollback'); return reply.status(409).send({}); }
    await client.query("insert into requests (id, tenant_id, type, state, contact_ciphertext, contact_hash, received_at, due_at) values ($1, 'default', 'access', 'in_progress', $2, $3, now(), now() + interval '1 month')", [id, seal(email), hash(email)]);
    await client.query("insert into request_identities values ($1, 'default', 'email', $2, $3)", [id, hash(email), seal(email)]);
    for (const [from, to] of [[null, 'received'], ['received', 'verified'], ['verified', 'in_progress']]) {
      await client.query('insert into request_history (request_id, from_state, to_state) values ($1, $2, $3)', [id, from, to]);
      await client.query("insert into audit_pending (tenant_id, body, action) values ('default', $1, $2)", [JSON.stringify({ id, to }), 'dsr.request.' + to]);
      const { rows } = await client.query("insert into event_streams values ('default', $1, 1) on conflict (tenant_id, stream_key) do update set last_sequence = event_streams.last_sequence + 1 returning last_sequence", ['request:' + id]);
      await client.query("insert into event_outbox (id, tenant_id, stream_key, stream_sequence, type, data, occurred_at) values ($1, 'default', $2, $3, $4, $5, now())", [randomUUID(), 'request:' + id, rows[0].last_sequence, 'dsr.request.' + to, JSON.stringify({ id, state: to })]);
      await client.query("select pg_notify('steward_events', 'default')");
    }
    await client.query("insert into jobs (id, name, data) values ($1, 'dsr.notify-requester', $2), ($3, 'dsr.run-step', $4)", [randomUUID(), JSON.stringify({ id }), randomUUID(), JSON.stringify({ id, step: 'plan' })]);
    await client.query("insert into request_steps values ($1, 'plan', 0, 'pending')", [id]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return reply.status(201).send({ id, state: 'in_progress' });
});
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[1]) });
`;

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** POST /v1/requests from `connections` connections for SECONDS, a new customer's e-mail each time. */
function intakeLoad(port: number, token: string, firstCustomer: number, connections = CONNECTIONS) {
  let next = firstCustomer;
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/requests`,
    connections,
    duration: SECONDS,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            type: 'access',
            identities: { email: `customer${++next}@example.com` },
            identityVerified: true,
          }),
        }),
      },
    ],
  });
}

export const dsrIntakeBenchmark: Benchmark = {
  name: `DSR intake under load and fair execution (serve + worker, ${SECONDS} s of intake from ${CONNECTIONS} connections)`,
  async run() {
    const root = mkdtempSync(join(tmpdir(), 'steward-bench-intake-'));
    const shop = await createPostgresDatabase('steward_bench_intake_shop');
    const own = await createPostgresDatabase('steward_bench_intake');
    const baselineDb = await createPostgresDatabase('steward_bench_intake_sql');
    const children: ChildProcess[] = [];
    try {
      await query(shop.url, SHOP);
      await query(baselineDb.url, BASELINE_TABLES);
      mkdirSync(join(root, 'datamap'), { recursive: true });
      writeFileSync(join(root, 'datamap', 'shop.yaml'), DATAMAP);
      const [port, sqlPort] = [await freePort(), await freePort()];
      writeFileSync(
        join(root, 'steward.yaml'),
        stringify({
          database: { url: own.url, poolSize: 5 },
          server: { host: '127.0.0.1', port, rateLimit: { max: 100_000_000 } },
          datamap: { path: './datamap' },
          jobs: { runInServe: false, pollIntervalSeconds: 0.5 },
          dsr: { outbox: true, dataDir: join(root, 'dsr') },
          logging: { level: 'warn' },
        }),
      );
      const env = stewardEnv({
        BENCH_INTAKE_SHOP_URL: shop.url,
        STEWARD_MASTER_KEY: randomBytes(32).toString('base64'),
        STEWARD_AUDIT__CREATE_MISSING_KEYS: 'true',
      });
      const cli = join(ROOT, 'src', 'app', 'cli', 'steward.ts');
      const serve = spawn(process.execPath, [cli, 'serve'], { cwd: root, env, stdio: 'ignore' });
      children.push(serve);
      await waitUntilAnswering(`http://127.0.0.1:${port}/readyz`, serve, 120_000);
      const handWritten = spawn(
        process.execPath,
        ['--input-type=module', '-e', HAND_WRITTEN_INTAKE, String(sqlPort), baselineDb.url],
        { cwd: ROOT, stdio: 'ignore' },
      );
      children.push(handWritten);
      await waitUntilAnswering(`http://127.0.0.1:${sqlPort}/healthz`, handWritten);
      const database = await openDatabase<Database>({
        url: own.url,
        dataDir: 'unused',
        poolSize: 1,
        connectAttempts: 3,
        statementTimeoutMs: 0,
      });
      const { token } = await issueRoleApiKey(database.db, {
        role: 'owner',
        tenantId: 'default',
        name: 'bench',
        actor: { kind: 'system', id: 'bench' },
      });
      await database.close();

      // Alternating rounds, best of each; each round's e-mails are new (a repeat would be a duplicate).
      const baselineRuns: autocannon.Result[] = [];
      const stewardRuns: autocannon.Result[] = [];
      for (let round = 0; round < 2; round++) {
        baselineRuns.push(await intakeLoad(sqlPort, token, round * CUSTOMERS * 2));
        stewardRuns.push(await intakeLoad(port, token, round * CUSTOMERS * 2));
      }
      const best = (runs: autocannon.Result[]) =>
        runs.reduce((a, b) => (a.requests.average >= b.requests.average ? a : b));
      const baseline = best(baselineRuns);
      const steward = best(stewardRuns);
      // One client at a time: how long one request waits for its acknowledgement when nothing queues.
      const alone = await intakeLoad(port, token, 10 * CUSTOMERS, 1);
      const aloneBaseline = await intakeLoad(sqlPort, token, 10 * CUSTOMERS, 1);
      for (const run of [...baselineRuns, ...stewardRuns, alone, aloneBaseline])
        if (run.non2xx > 0 || run.errors > 0)
          throw new Error(`${run.non2xx} non-2xx answers, ${run.errors} errors`);
      process.stderr.write(
        `  intake: Steward ${steward.requests.average} req/s (p50 ${steward.latency.p50} ms, p99 ${steward.latency.p99} ms), hand-written ${baseline.requests.average} req/s (p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms)\n`,
      );

      // Then a worker executes every request taken; when does the first finish, against the last?
      const workerStarted = Date.now();
      const worker = spawn(process.execPath, [cli, 'worker'], { cwd: root, env, stdio: 'ignore' });
      children.push(worker);
      const deadline = Date.now() + 900_000;
      for (;;) {
        const [open] = await query<{ n: number }>(
          own.url,
          `select count(*)::int as n from dsr_requests where closed_at is null`,
        );
        if (open!.n === 0) break;
        if (Date.now() > deadline) throw new Error(`${open!.n} requests still open after 15 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const [done] = await query<{
        n: number;
        first: number;
        median: number;
        last: number;
        completed: number;
      }>(
        own.url,
        `select count(*)::int as n,
           extract(epoch from min(closed_at) - '${new Date(workerStarted).toISOString()}'::timestamptz) as first,
           percentile_cont(0.5) within group (order by extract(epoch from closed_at - '${new Date(workerStarted).toISOString()}'::timestamptz)) as median,
           extract(epoch from max(closed_at) - '${new Date(workerStarted).toISOString()}'::timestamptz) as last,
           count(*) filter (where state = 'completed')::int as completed
         from dsr_requests`,
      );
      const rows: BenchmarkRow[] = [
        {
          name: 'POST /v1/requests (verified access request)',
          unit: 'req/s',
          value: steward.requests.average,
          baseline: baseline.requests.average,
          baselineName: 'the same writes in hand-written SQL behind bare Fastify',
          goal: { text: '≥ 0.5× baseline', met: steward.requests.average / baseline.requests.average >= 0.5 },
        },
        {
          name: `POST /v1/requests acknowledged, one client at a time: p50 (p99 ${alone.latency.p99} ms vs ${aloneBaseline.latency.p99} ms)`,
          unit: 'ms',
          value: alone.latency.p50,
          baseline: aloneBaseline.latency.p50,
          baselineName: 'hand-written p50',
          goal: { text: 'p50 < 10 ms', met: alone.latency.p50 < 10 },
        },
        {
          name: `POST /v1/requests latency under the load above: p50 (p99 ${steward.latency.p99} ms vs ${baseline.latency.p99} ms)`,
          unit: 'ms',
          value: steward.latency.p50,
          baseline: baseline.latency.p50,
          baselineName: `hand-written p50, ${CONNECTIONS} connections`,
          goal: { text: 'reported', met: true },
        },
        {
          name: `${done!.n} queued requests (${done!.completed} completed), one worker: the first done ${Number(done!.first).toFixed(1)} s after it started, half by ${Number(done!.median).toFixed(1)} s`,
          unit: 's',
          value: Number(done!.first),
          baseline: Number(done!.last),
          baselineName: 'the whole drain',
          goal: {
            text: '≤ 0.1× (no head-of-line blocking)',
            met: Number(done!.first) / Number(done!.last) <= 0.1,
          },
        },
      ];
      return rows;
    } finally {
      for (const child of children) await stopProcess(child);
      await own.drop();
      await shop.drop();
      await baselineDb.drop();
      rmSync(root, { recursive: true, force: true });
    }
  },
};

if (import.meta.main) {
  for (const row of await dsrIntakeBenchmark.run())
    console.log(
      `${row.name}: ${row.value.toFixed(1)} ${row.unit} vs ${row.baseline.toFixed(1)} (${row.baselineName}) = ${(row.value / row.baseline).toFixed(2)}× — ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
    );
}
