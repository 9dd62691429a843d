// Runs the whole test suite once, against the real PostgreSQL, MariaDB and NATS on this machine.
// `npm test` is the README's test command and what .ci/run calls; arguments narrow it to files.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import net from 'node:net';

const requested = process.argv.slice(2);
const files = requested.length
  ? requested
  : ['src/**/*.test.ts', 'test/**/*.test.ts', 'packages/*/src/**/*.test.ts'];

/** Services the tests talk to; a missing one fails the run loudly instead of skipping tests. */
const SERVICES = [
  { name: 'PostgreSQL', port: 5432 },
  { name: 'MariaDB', port: 3306 },
  { name: 'NATS', port: 4222 },
];

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const missing = [];
for (const service of SERVICES) {
  if (!(await reachable(service.port))) missing.push(`${service.name} (127.0.0.1:${service.port})`);
}
if (missing.length) {
  console.error(
    `run-tests: required services are not answering: ${missing.join(', ')}. Start them (see .ci/run) and run again.`,
  );
  process.exit(1);
}

const concurrency = process.env.STEWARD_TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism()));
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
