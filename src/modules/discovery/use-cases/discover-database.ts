import type { CatalogConnection } from '../../../platform/datamap/introspection/open-catalog.ts';
import { classifyCollection } from '../core/classify-collection.ts';
import type { DiscoveryResult } from '../core/discovery-types.ts';
import { sampleMysql } from '../sampling/mysql-sampler.ts';
import { samplePostgres } from '../sampling/postgres-sampler.ts';
import type { SamplingOptions } from '../sampling/table-sample.ts';

export const DEFAULT_SAMPLE_SIZE = 200;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

export interface DiscoverDatabaseInput {
  /** The system id the result is reported under. */
  system: string;
  catalog: CatalogConnection;
  sampleSize?: number;
  statementTimeoutMs?: number;
  schemas?: string[];
  /** Reproducible PostgreSQL samples (see SamplingOptions.seed). */
  seed?: number;
  now?: () => Date;
}

/**
 * Column discovery on a PostgreSQL or MySQL/MariaDB database: samples each table (bounded, read
 * only, under a statement timeout) and classifies its columns as soon as its sample arrives, so
 * one table's values are held at a time (two on PostgreSQL, which reads the next table's sample
 * meanwhile) and none is kept.
 */
export async function discoverDatabase(input: DiscoverDatabaseInput): Promise<DiscoveryResult> {
  const now = input.now ?? (() => new Date());
  const started = now();
  const options: SamplingOptions = {
    sampleSize: input.sampleSize ?? DEFAULT_SAMPLE_SIZE,
    statementTimeoutMs: input.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    ...(input.schemas ? { schemas: input.schemas } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
  };
  const samples =
    input.catalog.kind === 'mysql'
      ? sampleMysql(input.catalog, options)
      : samplePostgres(input.catalog, options);
  const collections = [];
  for await (const sample of samples) collections.push(classifyCollection(sample));
  return {
    system: input.system,
    kind: input.catalog.kind,
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    sampleSize: options.sampleSize,
    collections,
  };
}
