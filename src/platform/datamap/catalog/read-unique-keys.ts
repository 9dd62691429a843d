import type { CatalogQuery } from '../introspection/catalog-snapshot.ts';
import { catalogTableKey } from './system-catalog.ts';

// Unique constraints are backed by unique indexes, so the index list covers both; partial and
// expression indexes are left out (they do not forbid two equal column values in general).
const POSTGRES_UNIQUE = `
  select n.nspname as schema, c.relname as "table",
         array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.ord) as columns
  from pg_index i
  join pg_class c on c.oid = i.indrelid
  join pg_namespace n on n.oid = c.relnamespace
  where i.indisunique and not i.indisprimary and i.indpred is null and i.indexprs is null
    and n.nspname = any($1::text[])`;

const MYSQL_UNIQUE = `
  select table_name as tbl, index_name as name, column_name as col
  from information_schema.statistics
  where table_schema = ? and non_unique = 0 and index_name <> 'PRIMARY'
  order by table_name, index_name, seq_in_index`;

/** Unique keys of PostgreSQL tables in the given schemas: `schema.table` → column lists. */
export async function readPostgresUniqueKeys(
  query: CatalogQuery,
  schemas: string[],
): Promise<Record<string, string[][]>> {
  const keys: Record<string, string[][]> = {};
  for (const row of await query(POSTGRES_UNIQUE, [schemas])) {
    const key = catalogTableKey(String(row.schema), String(row.table));
    (keys[key] ??= []).push(textArray(row.columns));
  }
  return keys;
}

/** Unique keys of a MySQL/MariaDB database's tables: `database.table` → column lists. */
export async function readMysqlUniqueKeys(
  query: CatalogQuery,
  database: string,
): Promise<Record<string, string[][]>> {
  const byIndex = new Map<string, { table: string; columns: string[] }>();
  for (const row of await query(MYSQL_UNIQUE, [database])) {
    const id = `${String(row.tbl)}\u0000${String(row.name)}`;
    const entry = byIndex.get(id) ?? { table: String(row.tbl), columns: [] };
    entry.columns.push(String(row.col));
    byIndex.set(id, entry);
  }
  const keys: Record<string, string[][]> = {};
  for (const { table, columns } of byIndex.values())
    (keys[catalogTableKey(database, table)] ??= []).push(columns);
  return keys;
}

function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return String(value ?? '')
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean)
    .map((part) => part.replace(/^"|"$/g, ''));
}
