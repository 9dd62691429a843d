// Seeds the demo shop (demo.people, default 3000) into a temporary directory and prints how long the
// first start takes against its 10 s budget, then how long a reuse takes. Run: node bench/demo-shop-seeding.ts [people]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoShop } from '../src/modules/demo/shop/ensure-demo-shop.ts';

const BUDGET_MS = 10_000;
const people = Number(process.argv[2] ?? 3000);
const root = mkdtempSync(join(tmpdir(), 'steward-bench-demo-'));
try {
  const dataDir = join(root, 'demo-shop');
  let started = performance.now();
  const created = await ensureDemoShop({ dataDir, people });
  const seedMs = performance.now() - started;
  started = performance.now();
  await ensureDemoShop({ dataDir, people });
  const reuseMs = performance.now() - started;
  const rows = Object.values(created.counts).reduce((sum, n) => sum + n, 0);
  console.log(`demo shop, ${people} people, ${rows} rows`);
  console.log(
    `  seed (incl. PGlite initdb): ${(seedMs / 1000).toFixed(2)} s = ${(seedMs / BUDGET_MS).toFixed(2)} of the 10 s budget, ${Math.round(rows / (seedMs / 1000))} rows/s`,
  );
  console.log(`  reuse: ${(reuseMs / 1000).toFixed(2)} s = ${(reuseMs / seedMs).toFixed(3)} of a seed`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
