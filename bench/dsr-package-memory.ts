// Access package memory (issue 3): "peak memory stays flat for a subject with 100k rows". Each size
// runs in a fresh node process that stages the rows (encrypted NDJSON) and builds the encrypted zip,
// then reports its peak resident memory. Every child runs with the V8 flags of Steward's processes
// (STEWARD_V8_FLAGS) and a 64 MiB old-generation limit, so a package that held the subject in memory
// would crash instead of merely growing. The baseline is a subject with 10 000 rows, in the same run.
// Goal: 100 000 and 1 000 000 rows at most 1.25× its peak: flat (what remains is V8's young
// generation filling up to its cap, which the 10 000-row run ends before reaching).
// Run alone: node bench/dsr-package-memory.ts
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccessPage } from '../src/modules/dsr/use-cases/execution/index.ts';
import { buildAccessPackage } from '../src/modules/dsr/use-cases/packages/access-package.ts';
import { stageSystemAccess } from '../src/modules/dsr/use-cases/packages/access-staging.ts';
import { article15Context } from '../src/modules/dsr/use-cases/packages/article15-context.ts';
import { STEWARD_V8_FLAGS } from '../src/kernel/runtime/v8-flags.ts';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';

const SELF = fileURLToPath(import.meta.url);
const BASELINE = 10_000;
const SIZES = [100_000, 1_000_000];
const NODE_FLAGS = [...STEWARD_V8_FLAGS, '--max-old-space-size=64'];

async function* orders(rows: number): AsyncGenerator<AccessPage> {
  for (let start = 0; start < rows; start += 1000) {
    const page = [];
    for (let id = start; id < Math.min(rows, start + 1000); id++) {
      page.push({
        id,
        customer_id: 42,
        placed_at: new Date(1_700_000_000_000 + id * 60_000),
        total: (id % 500) + 0.99,
        note: `order ${id}, gift wrap "yes"`,
        items: { sku: `SKU-${id % 97}`, qty: (id % 5) + 1 },
      });
    }
    yield { system: 'shop', collection: 'orders', rows: page };
  }
}

/** The child: builds one package and prints its peak RSS (MiB) and time (ms) as JSON. */
async function child(rows: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-bench-package-'));
  try {
    const location = { dataDir, key: randomBytes(32), tenantId: 'default', requestId: 'bench' };
    const started = performance.now();
    const staged = await stageSystemAccess(location, 'shop', orders(rows));
    const context = article15Context(
      { tenant: 'default', systems: [], identities: [], edges: [], sources: [] },
      [staged],
    );
    const built = await buildAccessPackage(
      location,
      {
        id: 'bench',
        type: 'access',
        regime: 'gdpr',
        regimeType: 'access',
        receivedAt: new Date().toISOString(),
      },
      context,
      [staged],
    );
    const ms = performance.now() - started;
    process.stdout.write(
      JSON.stringify({
        rows: built.rows,
        bytes: built.sizeBytes,
        ms,
        peakMiB: process.resourceUsage().maxRSS / 1024,
      }),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(rows: number): Promise<{ rows: number; peakMiB: number; ms: number; bytes: number }> {
  const proc = spawn(process.execPath, [...NODE_FLAGS, SELF, '--child', String(rows)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
  if (code !== 0) throw new Error(`package benchmark child for ${rows} rows exited with ${code}`);
  return JSON.parse(out);
}

export const dsrPackageMemory: Benchmark = {
  name: 'DSR access package: peak memory by subject size (64 MiB heap limit)',
  async run(): Promise<BenchmarkRow[]> {
    const baseline = await measure(BASELINE);
    const rows: BenchmarkRow[] = [];
    for (const size of SIZES) {
      const large = await measure(size);
      rows.push({
        name: `peak RSS, ${size} rows (${(large.bytes / 1048576).toFixed(1)} MiB encrypted zip, ${(large.ms / 1000).toFixed(1)} s)`,
        unit: 'MiB',
        value: large.peakMiB,
        baseline: baseline.peakMiB,
        baselineName: `${BASELINE} rows`,
        // Flat: the peak does not follow the subject's size (1M rows must also finish within the heap limit).
        goal: {
          text: '≤ 1.25×, within the 64 MiB heap',
          met: large.peakMiB <= 1.25 * baseline.peakMiB && large.rows === size,
        },
      });
    }
    return rows;
  },
};

if (process.argv[2] === '--child') await child(Number(process.argv[3]));
else if (process.argv[1] === SELF) console.log(JSON.stringify(await dsrPackageMemory.run(), null, 2));
