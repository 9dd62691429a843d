// Seeds the demo shop (demo.people, default 3000) into a new database on Steward's embedded
// PostgreSQL server in a temporary directory, and prints how long the first start takes against its
// 10 s budget, then how long a reuse takes. Run: node bench/demo-shop-seeding.ts [people]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/kernel/database/embedded/embedded-postgres.ts';
import { ensureDemoShop } from '../src/modules/demo/shop/ensure-demo-shop.ts';

const BUDGET_MS = 10_000;
const people = Number(process.argv[2] ?? 3000);
const root = mkdtempSync(join(tmpdir(), 'steward-bench-demo-'));
const server = await startEmbeddedPostgres({ dataDir: join(root, 'pg') });
try {
  const options = { serverUrl: server.urlFor('postgres'), database: 'steward_demo_shop', people };
  let started = performance.now();
  const created = await ensureDemoShop(options);
  const seedMs = performance.now() - started;
  started = performance.now();
  await ensureDemoShop(options);
  const reuseMs = performance.now() - started;
  const rows = Object.values(created.counts).reduce((sum, n) => sum + n, 0);
  console.log(`demo shop, ${people} people, ${rows} rows`);
  console.log(
    `  seed: ${(seedMs / 1000).toFixed(2)} s = ${(seedMs / BUDGET_MS).toFixed(2)} of the 10 s budget, ${Math.round(rows / (seedMs / 1000))} rows/s`,
  );
  console.log(`  reuse: ${(reuseMs / 1000).toFixed(2)} s = ${(reuseMs / seedMs).toFixed(3)} of a seed`);
} finally {
  await server.release();
  rmSync(root, { recursive: true, force: true });
}
