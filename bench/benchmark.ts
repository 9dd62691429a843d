/**
 * A benchmark measures something of Steward and the same thing of a baseline in the same run, so
 * its result reads as a ratio that holds on any machine. `run-benchmarks.ts` prints the rows.
 */
export interface Benchmark {
  name: string;
  run(): Promise<BenchmarkRow[]>;
}

export interface BenchmarkRow {
  name: string;
  unit: string;
  value: number;
  baseline: number;
  /** What the baseline is, e.g. "bare Fastify". */
  baselineName: string;
  /** The goal in words and whether this run met it. */
  goal: { text: string; met: boolean };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
