// Memory of everything `npm start` runs (issue 10): `steward serve --demo` from dist/ on a fresh data
// directory — the Node process and the embedded PostgreSQL server's processes (postmaster, its
// background processes and one backend per pooled connection) — sampled every 50 ms from the start,
// through the demo's seeding, until 5 s after an access request on the demo shop has completed.
// Node is counted by its resident set (RSS); the PostgreSQL processes by their proportional set
// size (PSS, /proc/<pid>/smaps_rollup), which splits the pages they share — shared_buffers, the
// binary and libraries — between them, so a page is counted once and not once per process.
// Goal: the peak of that sum < 300 MB. Baseline: a bare Fastify process's peak RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './benchmark.ts';
import {
  assertBuilt,
  freePort,
  peakRssBytes,
  spawnBareFastify,
  STEWARD_JS,
  stewardEnv,
  stopProcess,
  waitUntilAnswering,
} from './bench-processes.ts';

const MB = 1024 * 1024;

/** The kB figure of `field` in a /proc file, in bytes; 0 when the process is gone. */
function procBytes(file: string, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(file, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every process descended from `root` (its children, theirs, …), from /proc. */
function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

interface Sample {
  nodeRss: number;
  postgresPss: number;
  postgresProcesses: number;
}

function sample(node: number): Sample {
  const postgres = descendantsOf(node);
  return {
    nodeRss: procBytes(`/proc/${node}/status`, 'VmRSS'),
    postgresPss: postgres.reduce((total, pid) => total + procBytes(`/proc/${pid}/smaps_rollup`, 'Pss'), 0),
    postgresProcesses: postgres.length,
  };
}

export const memoryFootprint: Benchmark = {
  name: 'memory of npm start (steward serve --demo: Node RSS + embedded PostgreSQL PSS)',
  async run() {
    assertBuilt();
    const folder = mkdtempSync(join(tmpdir(), 'steward-bench-memory-'));
    const port = await freePort();
    // What `npm start` runs, with its V8 flags, on a fresh ./.steward.
    const steward = spawn(
      process.execPath,
      ['--max-semi-space-size=8', STEWARD_JS, 'serve', '--demo', '--port', String(port)],
      { cwd: folder, stdio: 'ignore', env: stewardEnv({ NO_COLOR: '1' }) },
    );
    let peak: Sample & { total: number } = { nodeRss: 0, postgresPss: 0, postgresProcesses: 0, total: 0 };
    // Node's own high-water mark catches a spike between two samples; PostgreSQL's peak is sampled.
    let nodeHighWater = 0;
    let postgresPeak = 0;
    const timer = setInterval(() => {
      const now = sample(steward.pid!);
      const total = now.nodeRss + now.postgresPss;
      if (total > peak.total) peak = { ...now, total };
      nodeHighWater = Math.max(nodeHighWater, procBytes(`/proc/${steward.pid}/status`, 'VmHWM'));
      postgresPeak = Math.max(postgresPeak, now.postgresPss);
    }, 50);
    try {
      await waitUntilAnswering(`http://127.0.0.1:${port}/readyz`, steward, 180_000);
      const key = readFileSync(join(folder, '.steward', 'demo', 'owner-key'), 'utf8').trim();
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const submitted = await fetch(`http://127.0.0.1:${port}/v1/requests`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          type: 'access',
          identities: { customer_id: '42' },
          contactEmail: 'you@example.com',
          identityVerified: true,
        }),
      });
      if (submitted.status !== 201)
        throw new Error(`demo access request: ${submitted.status} ${await submitted.text()}`);
      const request = (await submitted.json()) as { id: string };
      const deadline = Date.now() + 120_000;
      for (;;) {
        const status = await fetch(`http://127.0.0.1:${port}/v1/requests/${request.id}`, { headers });
        const now = (await status.json()) as { state: string };
        if (now.state === 'completed') break;
        if (Date.now() > deadline) throw new Error(`the demo access request is still ${now.state}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    } finally {
      clearInterval(timer);
      await stopProcess(steward);
      rmSync(folder, { recursive: true, force: true });
    }
    const barePort = await freePort();
    const bare = spawnBareFastify(barePort);
    let bareRss: number;
    try {
      await waitUntilAnswering(`http://127.0.0.1:${barePort}/healthz`, bare);
      bareRss = peakRssBytes(bare.pid!);
    } finally {
      await stopProcess(bare);
    }
    const bound = nodeHighWater + postgresPeak;
    return [
      {
        name: `peak of the sum, sampled (Node ${Math.round(peak.nodeRss / MB)} MB RSS + ${peak.postgresProcesses} PostgreSQL processes ${Math.round(peak.postgresPss / MB)} MB PSS)`,
        unit: 'MB',
        value: peak.total / MB,
        baseline: bareRss / MB,
        baselineName: 'bare Fastify RSS',
        goal: { text: '< 300 MB', met: peak.total / MB < 300 },
      },
      {
        name: `upper bound: Node's peak RSS (VmHWM ${Math.round(nodeHighWater / MB)} MB) + PostgreSQL's peak PSS (${Math.round(postgresPeak / MB)} MB)`,
        unit: 'MB',
        value: bound / MB,
        baseline: bareRss / MB,
        baselineName: 'bare Fastify RSS',
        goal: { text: '< 300 MB', met: bound / MB < 300 },
      },
    ];
  },
};
