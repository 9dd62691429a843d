import type { Connection } from 'mysql2/promise';
import { parseColumnType } from '../../../../platform/datamap/column-type.ts';
import type { CatalogKey, CatalogTable, SourceCatalog } from '../../core/source-catalog.ts';
import type { SchemaScript } from '../masking-database.ts';
import { quoteMy } from './mysql-identifiers.ts';

interface ColumnRow {
  table_name: string;
  column_name: string;
  column_type: string;
  is_nullable: string;
  extra: string;
}
interface KeyRow {
  table_name: string;
  constraint_name: string;
  constraint_type: string;
  column_name: string;
  referenced_table_name: string | null;
  referenced_column_name: string | null;
}

/**
 * Reads the connection's database: structure from information_schema (keys, references, types),
 * and each table's definition from `SHOW CREATE TABLE`, the server's own rendering with charsets,
 * collations, defaults and generated columns. The definition is split: columns and the primary
 * key create the table (InnoDB stores rows in primary-key order, and an AUTO_INCREMENT column must
 * be a key from the start); the other indexes, then foreign keys, then checks come after the data.
 */
export async function readMysqlCatalog(
  connection: Connection,
): Promise<{ catalog: SourceCatalog; schema: SchemaScript }> {
  const [[{ database }]] = (await connection.query('SELECT DATABASE() AS `database`')) as unknown as [
    [{ database: string }],
  ];
  const [tables] = (await connection.query(
    `SELECT TABLE_NAME AS table_name, COALESCE(TABLE_ROWS, 0) AS estimate FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    [database],
  )) as unknown as [{ table_name: string; estimate: number | string }[]];
  const [columns] = (await connection.query(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  )) as unknown as [ColumnRow[]];
  const [keys] = (await connection.query(
    `SELECT k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS constraint_name, t.CONSTRAINT_TYPE AS constraint_type,
            k.COLUMN_NAME AS column_name, k.REFERENCED_TABLE_NAME AS referenced_table_name, k.REFERENCED_COLUMN_NAME AS referenced_column_name
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.TABLE_CONSTRAINTS t
         ON t.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND t.TABLE_NAME = k.TABLE_NAME AND t.CONSTRAINT_NAME = k.CONSTRAINT_NAME
      WHERE k.TABLE_SCHEMA = ? ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [database],
  )) as unknown as [KeyRow[]];

  const script: SchemaScript = { preData: [], postData: { keys: [], foreignKeys: [], other: [] } };
  const catalogTables: CatalogTable[] = [];
  for (const table of tables) {
    const id = `${database}.${table.table_name}`;
    const tableColumns = columns.filter((column) => column.table_name === table.table_name);
    const tableKeys = keys.filter((key) => key.table_name === table.table_name);
    const grouped = (type: string): (CatalogKey & { rows: KeyRow[] })[] => {
      const byName = new Map<string, KeyRow[]>();
      for (const key of tableKeys.filter((k) => k.constraint_type === type))
        byName.set(key.constraint_name, [...(byName.get(key.constraint_name) ?? []), key]);
      return [...byName].map(([name, rows]) => ({ name, columns: rows.map((row) => row.column_name), rows }));
    };
    const primary = grouped('PRIMARY KEY')[0];
    catalogTables.push({
      id,
      schema: database,
      name: table.table_name,
      columns: tableColumns.map((column) => {
        const parsed = parseColumnType(column.column_type);
        return {
          name: column.column_name,
          rawType: column.column_type,
          family: parsed.family,
          length: parsed.length,
          nullable: column.is_nullable === 'YES',
          generated: /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(column.extra),
        };
      }),
      primaryKey: primary ? { name: primary.name, columns: primary.columns } : undefined,
      uniqueKeys: grouped('UNIQUE').map(({ name, columns: keyColumns }) => ({ name, columns: keyColumns })),
      foreignKeys: grouped('FOREIGN KEY')
        .filter((fk) => tables.some((t) => t.table_name === fk.rows[0]!.referenced_table_name))
        .map((fk) => ({
          name: fk.name,
          columns: fk.columns,
          target: `${database}.${fk.rows[0]!.referenced_table_name}`,
          targetColumns: fk.rows.map((row) => row.referenced_column_name!),
        })),
      estimatedRows: Number(table.estimate),
    });
    const [[created]] = (await connection.query(
      `SHOW CREATE TABLE ${quoteMy(table.table_name)}`,
    )) as unknown as [[Record<string, string>]];
    splitCreateTable(table.table_name, created!['Create Table']!, tableColumns, script);
  }
  return { catalog: { kind: 'mysql', tables: catalogTables }, schema: script };
}

/** Splits `SHOW CREATE TABLE` text into the create statement and the after-data ALTERs. */
export function splitCreateTable(
  name: string,
  text: string,
  columns: readonly ColumnRow[],
  script: SchemaScript,
): void {
  const lines = text.split('\n');
  const head = lines[0]!;
  const tail = lines[lines.length - 1]!.replace(/ AUTO_INCREMENT=\d+/, '');
  const autoIncrement = columns.find((column) => /auto_increment/i.test(column.extra))?.column_name;
  const inline: string[] = [];
  const alter = (clause: string) => `ALTER TABLE ${quoteMy(name)} ADD ${clause}`;
  for (const raw of lines.slice(1, -1)) {
    const line = raw.trim().replace(/,$/, '');
    const keyColumns = /\(`([^`]+)`/.exec(line)?.[1];
    if (line.startsWith('`') || line.startsWith('PRIMARY KEY')) inline.push(line);
    else if (/^(UNIQUE |FULLTEXT |SPATIAL )?KEY /.test(line) && keyColumns === autoIncrement)
      inline.push(line);
    else if (/^(UNIQUE |FULLTEXT |SPATIAL )?KEY /.test(line)) script.postData.keys.push(alter(line));
    else if (/^CONSTRAINT `[^`]+` FOREIGN KEY/.test(line)) script.postData.foreignKeys.push(alter(line));
    else script.postData.other.push(alter(line));
  }
  // The source's next AUTO_INCREMENT value is kept: rows inserted into the copy get fresh ids.
  const next = /AUTO_INCREMENT=(\d+)/.exec(lines[lines.length - 1]!)?.[1];
  script.preData.push(`${head}\n  ${inline.join(',\n  ')}\n${tail}`);
  if (next) script.postData.other.push(`ALTER TABLE ${quoteMy(name)} AUTO_INCREMENT = ${next}`);
}
