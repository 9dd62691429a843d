import type { CatalogTable } from '../introspection/catalog-snapshot.ts';

/**
 * What the live database of one system says about its tables, read at plan time: the facts an
 * erasure must not guess (nullability, foreign keys and their ON DELETE rules, primary and unique
 * keys). Plain data, so plans computed from it can be stored and compared.
 */
export interface SystemCatalog {
  system: string;
  /** `public` (or the first schema of the search path) on PostgreSQL, the connected database on MySQL. */
  defaultSchema: string;
  tables: CatalogTable[];
  /** Unique constraints and unique indexes (not the primary key), per table: `schema.table` → column lists. */
  uniqueKeys: Record<string, string[][]>;
}

/** The key of a table in `SystemCatalog.uniqueKeys`. */
export function catalogTableKey(schema: string, table: string): string {
  return `${schema}.${table}`;
}
