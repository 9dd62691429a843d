import type { CatalogConnection } from '../../../platform/datamap/introspection/open-catalog.ts';
import { readPostgresCatalog } from '../../../platform/datamap/introspection/postgres-catalog.ts';
import { parseColumnType } from '../../../platform/datamap/column-type.ts';
import type { CatalogTable } from '../../../platform/datamap/introspection/catalog-snapshot.ts';
import type { SampledCollection } from '../core/classify-collection.ts';
import { MAX_JSON_BYTES, MAX_VALUE_CHARS, type SamplingOptions } from './table-sample.ts';

const ESTIMATES = `
  select n.nspname as schema, c.relname as "table", c.reltuples::float8 as estimate
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and n.nspname = any($1::text[])`;

/**
 * Samples every table of a PostgreSQL database inside ONE read-only transaction with a statement
 * timeout: `TABLESAMPLE SYSTEM` on tables much larger than the sample (a few pages, never a scan),
 * a bounded `LIMIT` on small ones. Text is cut to its first characters, binary columns are skipped.
 * Each table's statement is sent before the previous table's sample is handed out.
 */
export async function* samplePostgres(
  catalog: CatalogConnection,
  options: SamplingOptions,
): AsyncGenerator<SampledCollection> {
  await catalog.query('BEGIN READ ONLY', []);
  try {
    await catalog.query(`SET LOCAL statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`, []);
    const tables = await readPostgresCatalog(catalog.query, options.schemas);
    const schemas = [...new Set(tables.map((t) => t.schema))];
    const estimates = new Map(
      (await catalog.query(ESTIMATES, [schemas])).map((row) => [
        `${row.schema}.${row.table}`,
        Number(row.estimate),
      ]),
    );
    const ordered = tables.sort((a, b) => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`));
    const rowsOf = (table: CatalogTable): Promise<{ rows: Record<string, unknown>[]; strategy: string }> => {
      // Catalog only (`datamap check --no-sample`): names and types, no row is read.
      if (options.sampleSize === 0) return Promise.resolve({ rows: [], strategy: 'catalog' });
      const estimate = estimates.get(`${table.schema}.${table.name}`) ?? -1;
      const { text, strategy } = postgresSampleQuery(table, estimate, options.sampleSize, options.seed);
      return text
        ? catalog.query(text, []).then((rows) => ({ rows, strategy }))
        : Promise.resolve({ rows: [], strategy });
    };
    // One statement ahead: the server reads the next table's sample while the caller classifies this
    // one (the connection queues it), so at most two tables' values are held at a time.
    let next = ordered.length ? rowsOf(ordered[0]!) : undefined;
    for (let i = 0; i < ordered.length; i++) {
      const table = ordered[i]!;
      const { rows, strategy } = await next!;
      next = i + 1 < ordered.length ? rowsOf(ordered[i + 1]!) : undefined;
      // A caller that stops early never awaits it: its failure must not go unhandled.
      next?.catch(() => {});
      yield toSample(table, rows, strategy, table.schema === 'public' ? undefined : table.schema);
    }
  } finally {
    await catalog.query('ROLLBACK', []).catch(() => {});
  }
}

/** The bounded sampling statement of one table (exported for the benchmark's baseline). */
export function postgresSampleQuery(
  table: CatalogTable,
  estimate: number,
  sampleSize: number,
  seed?: number,
): { text: string; strategy: string } {
  const columns = table.columns
    .filter((c) => parseColumnType(c.type).family !== 'binary')
    .map((c) => {
      const name = quote(c.name);
      const family = parseColumnType(c.type).family;
      if (family === 'json')
        return `case when octet_length(${name}::text) <= ${MAX_JSON_BYTES} then ${name} end as ${name}`;
      return `left(${name}::text, ${MAX_VALUE_CHARS}) as ${name}`;
    });
  if (!columns.length) return { text: '', strategy: 'limit' };
  const from = `${quote(table.schema)}.${quote(table.name)}`;
  const size = Math.max(1, Math.trunc(sampleSize));
  // SYSTEM picks whole pages at random: a few page reads for any table size. Under 10 samples'
  // worth of rows (or never analysed), reading the first rows costs no more.
  if (estimate > size * 10) {
    const percent = Math.min(100, Math.max(0.0001, ((size * 3) / estimate) * 100));
    return {
      text: `select ${columns.join(', ')} from ${from} tablesample system (${percent.toFixed(4)})${seed === undefined ? '' : ` repeatable (${Math.trunc(seed)})`} limit ${size}`,
      strategy: 'tablesample',
    };
  }
  return { text: `select ${columns.join(', ')} from ${from} limit ${size}`, strategy: 'limit' };
}

export function toSample(
  table: CatalogTable,
  rows: Record<string, unknown>[],
  strategy: string,
  schema: string | undefined,
): SampledCollection {
  return {
    name: table.name,
    ...(schema ? { schema } : {}),
    primaryKey: table.primaryKey,
    strategy,
    sampledRows: rows.length,
    columns: table.columns
      .filter((c) => parseColumnType(c.type).family !== 'binary')
      .map((c) => ({ name: c.name, type: c.type, values: rows.map((row) => row[c.name]) })),
  };
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
