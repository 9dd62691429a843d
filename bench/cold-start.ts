// Cold start of `steward serve` on the embedded PostgreSQL server until /readyz answers — the
// server's start (initdb on a fresh data directory) included — on a fresh data directory and on an
// existing one, against bare Fastify started the same way. Goals (issue 10): fresh < 5 s, existing
// < 1.5 s. Memory is measured by bench/memory-footprint.ts (every process, the server's included).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Benchmark, type BenchmarkRow } from './benchmark.ts';
import {
  assertBuilt,
  freePort,
  spawnBareFastify,
  spawnSteward,
  stopProcess,
  waitUntilAnswering,
} from './bench-processes.ts';

const RUNS = 3;

interface Start {
  ms: number;
}

async function timeStart(spawnServer: (port: number) => ChildProcess): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnServer(port);
  try {
    await waitUntilAnswering(`http://127.0.0.1:${port}/readyz`, child);
    const ms = performance.now() - started;
    return { ms };
  } finally {
    await stopProcess(child);
  }
}

export const coldStart: Benchmark = {
  name: 'cold start of steward serve (embedded PostgreSQL server included)',
  async run() {
    assertBuilt();
    const root = mkdtempSync(join(tmpdir(), 'steward-bench-start-'));
    try {
      const baseline: Start[] = [];
      const fresh: Start[] = [];
      const existing: Start[] = [];
      // Interleaved, so that all three see the same machine load.
      for (let run = 0; run < RUNS; run++) {
        baseline.push(await timeStart(spawnBareFastify));
        const folder = join(root, `run-${run}`);
        fresh.push(await timeStart((port) => spawnSteward(folder, port)));
        existing.push(await timeStart((port) => spawnSteward(folder, port)));
      }
      const base = {
        ms: median(baseline.map((s) => s.ms)),
      };
      const row = (
        name: string,
        unit: string,
        value: number,
        baselineValue: number,
        goal: string,
        met: boolean,
      ): BenchmarkRow => ({
        name,
        unit,
        value,
        baseline: baselineValue,
        baselineName: 'bare Fastify',
        goal: { text: goal, met },
      });
      const freshMs = median(fresh.map((s) => s.ms));
      const existingMs = median(existing.map((s) => s.ms));
      return [
        row(
          `until /readyz, fresh data dir (median of ${RUNS})`,
          'ms',
          freshMs,
          base.ms,
          '< 5000 ms',
          freshMs < 5000,
        ),
        row(
          `until /readyz, existing data dir (median of ${RUNS})`,
          'ms',
          existingMs,
          base.ms,
          '< 1500 ms',
          existingMs < 1500,
        ),
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
