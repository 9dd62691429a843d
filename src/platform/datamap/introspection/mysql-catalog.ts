import type { OnDeleteRule } from '../datamap-types.ts';
import type { CatalogQuery, CatalogTable } from './catalog-snapshot.ts';

const ON_DELETE: Record<string, OnDeleteRule> = {
  CASCADE: 'cascade',
  'SET NULL': 'set_null',
  'SET DEFAULT': 'set_default',
  RESTRICT: 'restrict',
  'NO ACTION': 'no_action',
};

const COLUMNS = `
  select c.table_name as tbl, c.column_name as col, c.column_type as type, c.is_nullable as nullable
  from information_schema.columns c
  join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
  where c.table_schema = ? and t.table_type = 'BASE TABLE'
  order by c.table_name, c.ordinal_position`;

const KEY_COLUMNS = `
  select k.table_name as tbl, k.constraint_name as name, k.column_name as col,
         k.referenced_table_schema as ref_schema, k.referenced_table_name as ref_table,
         k.referenced_column_name as ref_col, r.delete_rule as on_delete
  from information_schema.key_column_usage k
  left join information_schema.referential_constraints r
    on r.constraint_schema = k.constraint_schema and r.constraint_name = k.constraint_name and r.table_name = k.table_name
  where k.table_schema = ? and (k.constraint_name = 'PRIMARY' or k.referenced_table_name is not null)
  order by k.table_name, k.constraint_name, k.ordinal_position`;

// MariaDB stores JSON as LONGTEXT with a json_valid() check; that check is how the type is recognised.
const JSON_CHECKS = `
  select table_name as tbl, check_clause as clause
  from information_schema.check_constraints
  where constraint_schema = ? and check_clause like '%json_valid%'`;

/**
 * Reads tables, columns (full column types such as `varchar(20)`), primary keys and foreign keys
 * with their ON DELETE rules from a MySQL or MariaDB database's information_schema.
 */
export async function readMysqlCatalog(query: CatalogQuery, database: string): Promise<CatalogTable[]> {
  const tables = new Map<string, CatalogTable>();
  for (const row of await query(COLUMNS, [database])) {
    const name = String(row.tbl);
    let table = tables.get(name);
    if (!table) {
      table = { schema: database, name, columns: [], primaryKey: [], foreignKeys: [] };
      tables.set(name, table);
    }
    table.columns.push({ name: String(row.col), type: String(row.type), nullable: row.nullable === 'YES' });
  }
  for (const row of await jsonChecks(query, database)) {
    const column = /json_valid\(`?([^`)]+)`?\)/i.exec(String(row.clause))?.[1];
    const target = tables.get(String(row.tbl))?.columns.find((c) => c.name === column);
    if (target) target.type = 'json';
  }
  for (const row of await query(KEY_COLUMNS, [database])) {
    const table = tables.get(String(row.tbl));
    if (!table) continue;
    if (row.name === 'PRIMARY') {
      table.primaryKey.push(String(row.col));
      continue;
    }
    let foreignKey = table.foreignKeys.find((fk) => fk.constraint === row.name);
    if (!foreignKey) {
      foreignKey = {
        constraint: String(row.name),
        columns: [],
        referencedSchema: String(row.ref_schema),
        referencedTable: String(row.ref_table),
        referencedColumns: [],
        onDelete: ON_DELETE[String(row.on_delete)] ?? 'no_action',
      };
      table.foreignKeys.push(foreignKey);
    }
    foreignKey.columns.push(String(row.col));
    foreignKey.referencedColumns.push(String(row.ref_col));
  }
  return [...tables.values()];
}

async function jsonChecks(query: CatalogQuery, database: string): Promise<Record<string, unknown>[]> {
  try {
    return await query(JSON_CHECKS, [database]);
  } catch {
    // MySQL before 8.0.16 has no check_constraints table; its JSON type is reported as json anyway.
    return [];
  }
}
