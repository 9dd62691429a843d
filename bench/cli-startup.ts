// How long `steward --help` and `steward --version` take from dist/ (answered from the pre-rendered
// help pages), next to bare Node started with the same flags and to a command that builds the whole
// program (every module loaded; it then fails fast on a closed port). Goal (issue 17): help and
// version under 300 ms.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { median, type Benchmark, type BenchmarkRow } from './benchmark.ts';
import { assertBuilt, STEWARD_JS } from './bench-processes.ts';
import { STEWARD_V8_FLAGS } from '../src/kernel/runtime/v8-flags.ts';

const RUNS = 9;

function timeOf(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now();
  spawnSync(process.execPath, [...STEWARD_V8_FLAGS, ...args], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  return performance.now() - started;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const cliStartup: Benchmark = {
  name: 'CLI start-up (dist)',
  async run() {
    assertBuilt();
    const port = await closedPort();
    const samples: Record<string, number[]> = { bare: [], help: [], version: [], subHelp: [], program: [] };
    // Interleaved, so every command sees the same machine load.
    for (let run = 0; run < RUNS; run++) {
      samples.bare!.push(timeOf(['-e', '']));
      samples.help!.push(timeOf([STEWARD_JS, '--help']));
      samples.version!.push(timeOf([STEWARD_JS, '--version']));
      samples.subHelp!.push(timeOf([STEWARD_JS, 'retention', 'run', '--help']));
      samples.program!.push(
        timeOf([STEWARD_JS, '--server', `http://127.0.0.1:${port}`, 'dsr', 'status'], {
          STEWARD_API_KEY: 'stw_bench',
        }),
      );
    }
    const bare = median(samples.bare!);
    const row = (name: string, key: string, goal?: number): BenchmarkRow => {
      const value = median(samples[key]!);
      return {
        name,
        unit: 'ms',
        value,
        baseline: bare,
        baselineName: 'node -e ""',
        goal: goal ? { text: `< ${goal} ms`, met: value < goal } : { text: 'reported', met: true },
      };
    };
    return [
      row('steward --help', 'help', 300),
      row('steward --version', 'version', 300),
      row('steward retention run --help', 'subHelp', 300),
      row('a command that builds the program', 'program'),
    ];
  },
};
