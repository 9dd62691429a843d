import { parseColumnType } from '../../../platform/datamap/column-type.ts';
import type { CatalogTable } from '../../../platform/datamap/introspection/catalog-snapshot.ts';
import { readMysqlCatalog } from '../../../platform/datamap/introspection/mysql-catalog.ts';
import type { CatalogConnection } from '../../../platform/datamap/introspection/open-catalog.ts';
import type { SampledCollection } from '../core/classify-collection.ts';
import { toSample } from './postgres-sampler.ts';
import { MAX_JSON_BYTES, MAX_VALUE_CHARS, type SamplingOptions } from './table-sample.ts';

const ESTIMATES = `select table_name as tbl, table_rows as estimate from information_schema.tables where table_schema = ?`;
/** Windows spread over the key range: a sample from the whole table without scanning it. */
const WINDOWS = 5;

/**
 * Samples every table of a MySQL or MariaDB database in one read-only transaction with the
 * server's statement limit. MySQL has no TABLESAMPLE: a table with a numeric primary key much
 * larger than the sample is read in a few key windows spread over its range (index seeks), others
 * with a bounded LIMIT.
 */
export async function* sampleMysql(
  catalog: CatalogConnection,
  options: SamplingOptions,
): AsyncGenerator<SampledCollection> {
  const seconds = options.statementTimeoutMs / 1000;
  // MariaDB and MySQL spell the limit differently; each ignores the other's by failing.
  await catalog.query(`SET SESSION max_statement_time = ${seconds}`, []).catch(() => {});
  await catalog
    .query(`SET SESSION max_execution_time = ${Math.trunc(options.statementTimeoutMs)}`, [])
    .catch(() => {});
  await catalog.query('SET SESSION TRANSACTION READ ONLY', []);
  await catalog.query('START TRANSACTION', []);
  try {
    const tables = await readMysqlCatalog(catalog.query, catalog.defaultSchema);
    const estimates = new Map(
      (await catalog.query(ESTIMATES, [catalog.defaultSchema])).map((row) => [
        String(row.tbl),
        Number(row.estimate),
      ]),
    );
    for (const table of tables.sort((a, b) => a.name.localeCompare(b.name))) {
      const columns = selectList(table);
      if (!columns) continue;
      // Catalog only (`datamap check --no-sample`): names and types, no row is read.
      if (options.sampleSize === 0) {
        yield toSample(table, [], 'catalog', undefined);
        continue;
      }
      const estimate = estimates.get(table.name) ?? 0;
      const size = Math.max(1, Math.trunc(options.sampleSize));
      const key = numericKey(table);
      if (key && estimate > size * 10) {
        const [range] = await catalog.query(
          `select min(${quote(key)}) as lo, max(${quote(key)}) as hi from ${quote(table.name)}`,
          [],
        );
        const lo = Number(range?.lo ?? 0);
        const hi = Number(range?.hi ?? 0);
        const per = Math.ceil(size / WINDOWS);
        const rows: Record<string, unknown>[] = [];
        for (let i = 0; i < WINDOWS; i++) {
          const start = Math.floor(lo + ((hi - lo) * i) / WINDOWS);
          rows.push(
            ...(await catalog.query(
              `select ${columns} from ${quote(table.name)} where ${quote(key)} >= ? order by ${quote(key)} limit ${per}`,
              [start],
            )),
          );
        }
        yield toSample(table, rows.slice(0, size), 'key-windows', undefined);
        continue;
      }
      yield toSample(
        table,
        await catalog.query(`select ${columns} from ${quote(table.name)} limit ${size}`, []),
        'limit',
        undefined,
      );
    }
  } finally {
    await catalog.query('ROLLBACK', []).catch(() => {});
  }
}

function selectList(table: CatalogTable): string {
  return table.columns
    .filter((c) => parseColumnType(c.type).family !== 'binary')
    .map((c) => {
      const name = quote(c.name);
      if (parseColumnType(c.type).family === 'json')
        return `case when length(${name}) <= ${MAX_JSON_BYTES} then ${name} end as ${name}`;
      return `left(cast(${name} as char), ${MAX_VALUE_CHARS}) as ${name}`;
    })
    .join(', ');
}

function numericKey(table: CatalogTable): string | undefined {
  if (table.primaryKey.length !== 1) return undefined;
  const column = table.columns.find((c) => c.name === table.primaryKey[0]);
  return column && parseColumnType(column.type).family === 'integer' ? column.name : undefined;
}

function quote(identifier: string): string {
  return `\`${identifier.replace(/`/g, '``')}\``;
}
