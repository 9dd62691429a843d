// Scale-out (issue 10): 1, 2 and 4 `steward worker` processes on one PostgreSQL server drain the same
// batch of data subject requests (access requests on a 3-table shop of 5,000 customers: each request
// runs its execution step and its notices, mail kept in the local outbox). For each worker count: a
// fresh Steward database, an API process (jobs.runInServe off) that takes the requests, then the
// workers, all started at once; jobs/s is the number of DSR jobs pg-boss finished divided by the time
// from the first job's start to the last one's end (pg-boss's own timestamps, so process start-up is
// not counted). The CPU the workers and this database's PostgreSQL backends used over that window,
// against the machine's two cores, says what binds.
// Run alone: node bench/run-benchmarks.ts "scale-out" (after npm run build).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';
import {
  assertBuilt,
  freePort,
  STEWARD_JS,
  stewardEnv,
  stopProcess,
  waitUntilAnswering,
} from './bench-processes.ts';
import { createPostgresDatabase } from '../test/support/test-database.ts';
import { threeTableShopDataMap, threeTableShopSql } from './three-table-shop.ts';

const CUSTOMERS = 5_000;
const REQUESTS = Number(process.env.BENCH_SCALE_OUT_REQUESTS ?? 300);
const WORKER_COUNTS = [1, 2, 4];

const SHOP = threeTableShopSql(CUSTOMERS);
const DATAMAP = threeTableShopDataMap('BENCH_SCALE_SHOP_URL');

interface Drain {
  jobs: number;
  seconds: number;
  /** Worker CPU over the drain, in cores (2 = both cores of this machine busy). */
  workerCores: number;
  /** CPU of the PostgreSQL backends serving this database over the drain, in cores. */
  databaseCores: number;
}

/** CPU seconds so far of each PostgreSQL backend connected to the database of `url` (same machine). */
async function backendCpu(url: string): Promise<Map<number, number>> {
  const name = new URL(url).pathname.slice(1);
  const rows = await query<{ pid: number }>(
    url,
    `select pid from pg_stat_activity where datname = '${name}'`,
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, cpuSeconds(pid));
    } catch {
      // ended meanwhile
    }
  }
  return cpu;
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** utime + stime of a process, in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function spawnCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [STEWARD_JS, ...args], { cwd, env, stdio: 'ignore' });
}

async function drainWith(workers: number, shopUrl: string, root: string): Promise<Drain> {
  const steward = await createPostgresDatabase('steward_bench_scale');
  const folder = join(root, `workers-${workers}`);
  mkdirSync(join(folder, 'datamap'), { recursive: true });
  writeFileSync(join(folder, 'datamap', 'shop.yaml'), DATAMAP);
  const port = await freePort();
  writeFileSync(
    join(folder, 'steward.yaml'),
    stringify({
      database: { url: steward.url, poolSize: 5 },
      server: { host: '127.0.0.1', port, rateLimit: { max: 100_000_000 } },
      datamap: { path: './datamap' },
      jobs: { runInServe: false, pollIntervalSeconds: 0.5 },
      dsr: { outbox: true },
      logging: { level: 'warn' },
    }),
  );
  const env = stewardEnv({
    BENCH_SCALE_SHOP_URL: shopUrl,
    STEWARD_MASTER_KEY: randomBytes(32).toString('base64'),
    STEWARD_AUDIT__CREATE_MISSING_KEYS: 'true',
  });
  const children: ChildProcess[] = [];
  try {
    const api = spawnCli(['serve'], folder, env);
    children.push(api);
    await waitUntilAnswering(`http://127.0.0.1:${port}/readyz`, api, 120_000);
    const key = await new Promise<string>((resolve, reject) => {
      const created = spawn(
        process.execPath,
        [STEWARD_JS, 'apikey', 'create', '--role', 'owner', '--name', 'bench', '--json'],
        {
          cwd: folder,
          env,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      created.stdout!.on('data', (chunk: Buffer) => (out += chunk));
      created.on('exit', (code) =>
        code === 0
          ? resolve((JSON.parse(out) as { key: string }).key)
          : reject(new Error(`apikey create exited ${code}`)),
      );
    });
    for (let i = 1; i <= REQUESTS; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'access',
          identities: { email: `customer${i}@example.com` },
          identityVerified: true,
        }),
      });
      if (response.status !== 201)
        throw new Error(`request ${i}: ${response.status} ${await response.text()}`);
    }
    // All workers at once; the drain is timed by pg-boss's own timestamps, start-up excluded.
    const started = Array.from({ length: workers }, () => spawnCli(['worker'], folder, env));
    children.push(...started);
    const cpuAtStart = new Map(started.map((child) => [child.pid!, cpuSeconds(child.pid!)]));
    const databaseAtStart = await backendCpu(steward.url);
    const deadline = Date.now() + 600_000;
    for (;;) {
      const [open] = await query<{ n: string }>(
        steward.url,
        `select count(*) as n from dsr_requests where state not in ('completed', 'partially_completed', 'denied', 'failed', 'cancelled')`,
      );
      const [waiting] = await query<{ n: string }>(
        steward.url,
        `select count(*) as n from pgboss.job where name like 'dsr.%' and name <> 'dsr.watchdog' and state in ('created', 'retry', 'active')`,
      );
      if (Number(open!.n) === 0 && Number(waiting!.n) === 0) break;
      if (Date.now() > deadline) throw new Error(`${open!.n} requests still open after 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const cpu = started.reduce(
      (total, child) => total + cpuSeconds(child.pid!) - cpuAtStart.get(child.pid!)!,
      0,
    );
    let databaseCpu = 0;
    for (const [pid, seconds] of await backendCpu(steward.url))
      databaseCpu += seconds - (databaseAtStart.get(pid) ?? 0);
    const [window] = await query<{ jobs: string; seconds: string; failed: string }>(
      steward.url,
      `select count(*) filter (where state = 'completed') as jobs, count(*) filter (where state = 'failed') as failed,
              extract(epoch from max(completed_on) - min(started_on)) as seconds
       from pgboss.job where name like 'dsr.%' and name <> 'dsr.watchdog' and started_on is not null`,
    );
    if (Number(window!.failed) > 0) throw new Error(`${window!.failed} DSR jobs failed`);
    const seconds = Number(window!.seconds);
    return {
      jobs: Number(window!.jobs),
      seconds,
      workerCores: cpu / seconds,
      databaseCores: databaseCpu / seconds,
    };
  } finally {
    for (const child of children) await stopProcess(child);
    await steward.drop();
  }
}

export const dsrScaleOut: Benchmark = {
  name: `scale-out: 1, 2 and 4 steward worker processes drain ${REQUESTS} access requests (one PostgreSQL)`,
  async run() {
    assertBuilt();
    const root = mkdtempSync(join(tmpdir(), 'steward-bench-scale-'));
    const shop = await createPostgresDatabase('steward_bench_shop');
    try {
      await query(shop.url, SHOP);
      const drains: Drain[] = [];
      for (const workers of WORKER_COUNTS) drains.push(await drainWith(workers, shop.url, root));
      const one = drains[0]!;
      return drains.map((drain, index): BenchmarkRow => {
        const workers = WORKER_COUNTS[index]!;
        const rate = drain.jobs / drain.seconds;
        return {
          name: `${workers} worker${workers > 1 ? 's' : ''}: ${drain.jobs} DSR jobs in ${drain.seconds.toFixed(1)} s; CPU of the 2 cores: workers ${drain.workerCores.toFixed(2)}, PostgreSQL ${drain.databaseCores.toFixed(2)}`,
          unit: 'jobs/s',
          value: rate,
          baseline: one.jobs / one.seconds,
          baselineName: '1 worker',
          goal: {
            text: workers === 1 ? 'reported' : 'grows until the cores or the database bind',
            met: true,
          },
        };
      });
    } finally {
      await shop.drop();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
