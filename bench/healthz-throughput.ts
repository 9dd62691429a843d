// /healthz throughput of `steward serve` against a bare Fastify route, both as their own `node`
// process on 127.0.0.1, driven by autocannon from this process. Goal (issue 2): at least 0.9×.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Benchmark } from './benchmark.ts';
import {
  assertBuilt,
  freePort,
  spawnBareFastify,
  spawnSteward,
  stopProcess,
  waitUntilAnswering,
} from './bench-processes.ts';

const SECONDS = 3;
const CONNECTIONS = 10;
const ROUNDS = 2;

async function requestsPerSecond(url: string): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return result.requests.average;
}

export const healthzThroughput: Benchmark = {
  name: `/healthz throughput (autocannon, ${CONNECTIONS} connections, ${SECONDS} s, best of ${ROUNDS})`,
  async run() {
    assertBuilt();
    const folder = mkdtempSync(join(tmpdir(), 'steward-bench-healthz-'));
    const [stewardPort, barePort] = [await freePort(), await freePort()];
    const steward = spawnSteward(folder, stewardPort);
    const bare = spawnBareFastify(barePort);
    try {
      const stewardUrl = `http://127.0.0.1:${stewardPort}/healthz`;
      const bareUrl = `http://127.0.0.1:${barePort}/healthz`;
      await waitUntilAnswering(`http://127.0.0.1:${stewardPort}/readyz`, steward);
      await waitUntilAnswering(bareUrl, bare);
      // One short warm-up each (JIT), then alternating rounds.
      await autocannon({ url: stewardUrl, connections: CONNECTIONS, duration: 1 });
      await autocannon({ url: bareUrl, connections: CONNECTIONS, duration: 1 });
      const stewardRates: number[] = [];
      const bareRates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bareRates.push(await requestsPerSecond(bareUrl));
        stewardRates.push(await requestsPerSecond(stewardUrl));
      }
      const value = Math.max(...stewardRates);
      const baseline = Math.max(...bareRates);
      return [
        {
          name: 'requests per second',
          unit: 'req/s',
          value,
          baseline,
          baselineName: 'bare Fastify route',
          goal: { text: '≥ 0.9× baseline', met: value / baseline >= 0.9 },
        },
      ];
    } finally {
      await stopProcess(steward);
      await stopProcess(bare);
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
