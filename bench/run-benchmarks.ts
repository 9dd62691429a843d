// `npm run bench`: builds, then runs each benchmark in turn and prints one table. Every result is
// shown next to a baseline measured in the same run, as a ratio. Add a benchmark by writing one file
// that exports a `Benchmark` (bench/benchmark.ts) and listing it here.
import type { Benchmark, BenchmarkRow } from './benchmark.ts';
import { coldStart } from './cold-start.ts';
import { healthzThroughput } from './healthz-throughput.ts';
import { dsrAccessErasure } from './dsr-access-erasure.ts';
import { auditAppendBenchmark } from './audit-append.ts';
import { dsrPackageMemory } from './dsr-package-memory.ts';
import { consentCheckBenchmark } from './consent-check.ts';
import { consentImportBenchmark } from './consent-import.ts';
import { eventCatchUpBenchmark } from './event-catch-up.ts';
import { dsrIntakeBenchmark } from './dsr-intake.ts';
import { retentionSweepBenchmark } from './retention-sweep.ts';
import { piiDetectionBenchmarkDefault } from './pii-detection.ts';
import { webBenchmark } from './web.ts';
import { memoryFootprint } from './memory-footprint.ts';
import { dsrScaleOut } from './dsr-scale-out.ts';
import { discoveryBenchmark } from './discovery.ts';
import { governanceBenchmark } from './governance.ts';
import { maskedCopyBenchmark } from './masked-copy.ts';
import { cliStartup } from './cli-startup.ts';

const benchmarks: Benchmark[] = [
  coldStart,
  memoryFootprint,
  healthzThroughput,
  dsrAccessErasure,
  dsrPackageMemory,
  auditAppendBenchmark,
  consentCheckBenchmark,
  consentImportBenchmark,
  eventCatchUpBenchmark,
  dsrIntakeBenchmark,
  retentionSweepBenchmark,
  piiDetectionBenchmarkDefault,
  discoveryBenchmark,
  governanceBenchmark,
  maskedCopyBenchmark,
  webBenchmark,
  cliStartup,
  dsrScaleOut,
];

const only = process.argv.slice(2);
const selected = only.length
  ? benchmarks.filter((b) => only.some((name) => b.name.includes(name)))
  : benchmarks;

const format = (value: number, unit: string) =>
  `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${unit}`;
const table: string[][] = [['benchmark', 'Steward', 'baseline', 'ratio', 'goal', '']];
let missed = 0;
for (const benchmark of selected) {
  process.stderr.write(`running: ${benchmark.name}\n`);
  const rows: BenchmarkRow[] = await benchmark.run();
  table.push([benchmark.name, '', '', '', '', '']);
  for (const row of rows) {
    if (!row.goal.met) missed++;
    table.push([
      `  ${row.name}`,
      format(row.value, row.unit),
      `${format(row.baseline, row.unit)} (${row.baselineName})`,
      `${(row.value / row.baseline).toFixed(2)}×`,
      row.goal.text,
      row.goal.met ? 'met' : 'MISSED',
    ]);
  }
}
const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
for (const cells of table)
  console.log(
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
console.log(missed ? `\n${missed} goal(s) missed.` : '\nAll goals met.');
