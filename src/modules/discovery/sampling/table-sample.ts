import type { SampledCollection } from '../core/classify-collection.ts';

export interface SamplingOptions {
  /** Rows per table at most; 0 reads the catalog only (names and types, no row). */
  sampleSize: number;
  /** Per statement, on the server. */
  statementTimeoutMs: number;
  /** PostgreSQL schemas to read; default every non-system schema. */
  schemas?: string[];
  /** PostgreSQL: `TABLESAMPLE … REPEATABLE (seed)`, the same pages every time (benchmarks, tests). */
  seed?: number;
}

/** Longest prefix of a text value that is read: enough to validate, bounded for wide columns. */
export const MAX_VALUE_CHARS = 1024;
/** JSON documents larger than this are skipped (their column still counts as sampled). */
export const MAX_JSON_BYTES = 65_536;

/** Reads samples of a database's tables one at a time, so only one table's rows are in memory. */
export type TableSampler = (options: SamplingOptions) => AsyncIterable<SampledCollection>;
