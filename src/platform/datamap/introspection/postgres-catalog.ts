import type { OnDeleteRule } from '../datamap-types.ts';
import type { CatalogForeignKey, CatalogQuery, CatalogTable } from './catalog-snapshot.ts';

/** pg_constraint.confdeltype → the data map's rule. */
const ON_DELETE: Record<string, OnDeleteRule> = {
  a: 'no_action',
  r: 'restrict',
  c: 'cascade',
  n: 'set_null',
  d: 'set_default',
};

const COLUMNS = `
  select n.nspname as schema, c.relname as "table", a.attname as column,
         format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable
  from pg_attribute a
  join pg_class c on c.oid = a.attrelid
  join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped
    and n.nspname = any($1::text[])
  order by n.nspname, c.relname, a.attnum`;

// Column lists in constraint order (unnest … with ordinality), cast to text[] so drivers parse them.
const CONSTRAINTS = `
  select con.conname as name, con.contype as kind, n.nspname as schema, c.relname as "table",
         fn.nspname as ref_schema, fc.relname as ref_table, con.confdeltype as on_delete,
         array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
         array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as ref_columns
  from pg_constraint con
  join pg_class c on c.oid = con.conrelid
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_class fc on fc.oid = con.confrelid
  left join pg_namespace fn on fn.oid = fc.relnamespace
  where con.contype in ('p', 'f') and n.nspname = any($1::text[])
  order by n.nspname, c.relname, con.conname`;

const USER_SCHEMAS = `
  select nspname as name from pg_namespace
  where nspname not in ('information_schema', 'pg_catalog', 'pg_toast') and nspname not like 'pg\\_%'
  order by nspname`;

/**
 * Reads tables, columns (types with length, nullability), primary keys and foreign keys (with ON
 * DELETE rules) from PostgreSQL's catalog. Default: every
 * non-system schema.
 */
export async function readPostgresCatalog(query: CatalogQuery, schemas?: string[]): Promise<CatalogTable[]> {
  const wanted = schemas?.length ? schemas : (await query(USER_SCHEMAS, [])).map((row) => String(row.name));
  const tables = new Map<string, CatalogTable>();
  for (const row of await query(COLUMNS, [wanted])) {
    const key = `${row.schema}.${row.table}`;
    let table = tables.get(key);
    if (!table) {
      table = {
        schema: String(row.schema),
        name: String(row.table),
        columns: [],
        primaryKey: [],
        foreignKeys: [],
      };
      tables.set(key, table);
    }
    table.columns.push({ name: String(row.column), type: String(row.type), nullable: Boolean(row.nullable) });
  }
  for (const row of await query(CONSTRAINTS, [wanted])) {
    const table = tables.get(`${row.schema}.${row.table}`);
    if (!table) continue;
    const columns = textArray(row.columns);
    if (row.kind === 'p') {
      table.primaryKey = columns;
      continue;
    }
    const foreignKey: CatalogForeignKey = {
      constraint: String(row.name),
      columns,
      referencedSchema: String(row.ref_schema),
      referencedTable: String(row.ref_table),
      referencedColumns: textArray(row.ref_columns),
      onDelete: ON_DELETE[String(row.on_delete)] ?? 'no_action',
    };
    table.foreignKeys.push(foreignKey);
  }
  return [...tables.values()];
}

function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  // A driver without array parsing returns the literal `{a,b}`.
  const text = String(value ?? '');
  return text
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean)
    .map((part) => part.replace(/^"|"$/g, ''));
}
