// Runs the whole test suite once per database backend (default: PGlite, then PostgreSQL).
// `npm test` is the README's test command and what .ci/run calls.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import net from 'node:net';

const requested = process.argv.slice(2);
const backends = requested.length ? requested : ['pglite', 'postgres'];
const files = ['src/**/*.test.ts', 'test/**/*.test.ts'];

/** Services some tests talk to; a missing one fails the run loudly instead of skipping tests. */
const SERVICES = [
  { name: 'PostgreSQL', port: 5432, neededBy: 'postgres' },
  { name: 'MariaDB', port: 3306, neededBy: 'all' },
  { name: 'NATS', port: 4222, neededBy: 'all' },
];

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

for (const backend of backends) {
  if (backend !== 'pglite' && backend !== 'postgres') {
    console.error(`run-tests: unknown backend "${backend}"; use pglite or postgres`);
    process.exit(64);
  }
}
const missing = [];
for (const service of SERVICES) {
  if (service.neededBy === 'all' || backends.includes(service.neededBy)) {
    if (!(await reachable(service.port))) missing.push(`${service.name} (127.0.0.1:${service.port})`);
  }
}
if (missing.length) {
  console.error(`run-tests: required services are not answering: ${missing.join(', ')}. Start them (see .ci/run) and run again.`);
  process.exit(1);
}

const concurrency = process.env.STEWARD_TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism()));
let failed = false;
for (const backend of backends) {
  console.log(`\n=== Steward tests on ${backend} ===`);
  const result = spawnSync(
    process.execPath,
    ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...files],
    { stdio: 'inherit', env: { ...process.env, STEWARD_TEST_DB: backend } },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
