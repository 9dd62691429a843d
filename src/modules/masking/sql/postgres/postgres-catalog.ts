import type pg from 'pg';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import { parseColumnType } from '../../../../platform/datamap/column-type.ts';
import type { CatalogColumn, CatalogTable, SourceCatalog } from '../../core/source-catalog.ts';
import type { SchemaScript } from '../masking-database.ts';
import { qualifiedPg, quotePg } from './postgres-identifiers.ts';

interface TableRow {
  oid: number;
  schema: string;
  name: string;
  estimate: string | null;
}
interface ColumnRow {
  table_oid: number;
  name: string;
  attnum: number;
  type: string;
  not_null: boolean;
  default_expr: string | null;
  identity: string;
  generated: string;
  type_kind: string;
  type_schema: string;
  type_name: string;
}
interface ConstraintRow {
  table_oid: number;
  name: string;
  kind: 'p' | 'u' | 'f' | 'c' | 'x';
  definition: string;
  columns: number[];
  target_oid: number | null;
  target_columns: number[] | null;
}

/**
 * Reads the tables of the given schemas from pg_catalog and turns them into the catalog the
 * planner uses and the statements that re-create them: enum types and sequences first, tables
 * with columns, types, defaults, identity and generated columns, then — after the data — primary
 * keys, unique constraints, foreign keys, checks, the other indexes and the sequences' positions.
 * Definitions come from PostgreSQL's own `pg_get_constraintdef`/`pg_get_indexdef`, so they are
 * written exactly as the server would.
 */
export async function readPostgresCatalog(
  client: pg.ClientBase,
  schemas: readonly string[],
): Promise<{ catalog: SourceCatalog; schema: SchemaScript }> {
  const tables = (
    await client.query<TableRow>(
      `select c.oid, n.nspname as schema, c.relname as name, case when c.reltuples > 0 then c.reltuples::bigint::text end as estimate
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and not c.relispartition and n.nspname = any($1::text[])
        order by n.nspname, c.relname`,
      [schemas],
    )
  ).rows;
  const oids = tables.map((table) => table.oid);
  const columns = (
    await client.query<ColumnRow>(
      `select a.attrelid as table_oid, a.attname as name, a.attnum, format_type(a.atttypid, a.atttypmod) as type,
              a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as default_expr,
              a.attidentity as identity, a.attgenerated as generated, t.typtype as type_kind,
              tn.nspname as type_schema, t.typname as type_name
         from pg_attribute a
         join pg_type t on t.oid = a.atttypid
         join pg_namespace tn on tn.oid = t.typnamespace
         left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
        order by a.attrelid, a.attnum`,
      [oids],
    )
  ).rows;
  const constraints = (
    await client.query<ConstraintRow>(
      `select conrelid as table_oid, conname as name, contype as kind, pg_get_constraintdef(oid) as definition,
              conkey::int[] as columns, nullif(confrelid, 0)::int as target_oid, confkey::int[] as target_columns
         from pg_constraint where conrelid = any($1::oid[]) and contype in ('p', 'u', 'f', 'c', 'x')
        order by conrelid, contype, conname`,
      [oids],
    )
  ).rows;
  const indexes = (
    await client.query<{ table_oid: number; definition: string }>(
      `select i.indrelid as table_oid, pg_get_indexdef(i.indexrelid) as definition
         from pg_index i
        where i.indrelid = any($1::oid[])
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid)
        order by i.indrelid, i.indexrelid`,
      [oids],
    )
  ).rows;
  const enums = (
    await client.query<{ schema: string; name: string; labels: string[] }>(
      `select n.nspname as schema, t.typname as name, array_agg(e.enumlabel order by e.enumsortorder)::text[] as labels
         from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
        where t.oid in (select a.atttypid from pg_attribute a where a.attrelid = any($1::oid[]) and a.attnum > 0)
        group by n.nspname, t.typname order by 1, 2`,
      [oids],
    )
  ).rows;
  const sequences = (
    await client.query<{
      schema: string;
      name: string;
      type: string;
      start: string;
      increment: string;
      min: string;
      max: string;
      cycle: boolean;
      last: string | null;
    }>(
      `select schemaname as schema, sequencename as name, data_type::text as type, start_value::text as start,
              increment_by::text as increment, min_value::text as min, max_value::text as max, cycle, last_value::text as last
         from pg_sequences where schemaname = any($1::text[]) order by 1, 2`,
      [schemas],
    )
  ).rows;
  const identitySequences = new Set(
    (
      await client.query<{ schema: string; name: string }>(
        `select sn.nspname as schema, s.relname as name
           from pg_depend d join pg_class s on s.oid = d.objid and s.relkind = 'S' join pg_namespace sn on sn.oid = s.relnamespace
          where d.refobjid = any($1::oid[]) and d.deptype = 'i'`,
        [oids],
      )
    ).rows.map((row) => `${row.schema}.${row.name}`),
  );

  const byTable = <T extends { table_oid: number }>(rows: T[], oid: number) =>
    rows.filter((row) => row.table_oid === oid);
  const tableById = new Map(tables.map((table) => [table.oid, table]));
  const catalogTables: CatalogTable[] = [];
  const script: SchemaScript = { preData: [], postData: { keys: [], foreignKeys: [], other: [] } };

  for (const schema of schemas)
    if (schema !== 'public') script.preData.push(`CREATE SCHEMA IF NOT EXISTS ${quotePg(schema)}`);
  for (const type of enums) {
    script.preData.push(
      `CREATE TYPE ${quotePg(type.schema)}.${quotePg(type.name)} AS ENUM (${type.labels.map(literal).join(', ')})`,
    );
  }
  for (const sequence of sequences.filter((s) => !identitySequences.has(`${s.schema}.${s.name}`))) {
    script.preData.push(
      `CREATE SEQUENCE ${quotePg(sequence.schema)}.${quotePg(sequence.name)} AS ${sequence.type} INCREMENT BY ${sequence.increment} MINVALUE ${sequence.min} MAXVALUE ${sequence.max} START WITH ${sequence.start}${sequence.cycle ? ' CYCLE' : ''}`,
    );
    if (sequence.last !== null)
      script.postData.other.push(
        `SELECT setval('${quotePg(sequence.schema)}.${quotePg(sequence.name)}', ${sequence.last}, true)`,
      );
  }

  for (const table of tables) {
    const tableColumns = byTable(columns, table.oid);
    const unsupported = tableColumns.find((column) => ['d', 'c', 'r', 'm'].includes(column.type_kind));
    if (unsupported) {
      throw new InvalidInput(
        'masking.unsupported_type',
        `${table.schema}.${table.name}.${unsupported.name} has type ${unsupported.type} (a domain, composite or range type), which the masked copy cannot re-create yet. Leave the table out with --exclude or change the column's type.`,
        { table: `${table.schema}.${table.name}`, column: unsupported.name },
      );
    }
    const names = new Map(tableColumns.map((column) => [column.attnum, column.name]));
    const columnNames = (numbers: number[] | null) => (numbers ?? []).map((n) => names.get(n)!);
    const tableConstraints = byTable(constraints, table.oid);
    const catalogColumns: CatalogColumn[] = tableColumns.map((column) => {
      const parsed = parseColumnType(column.type_kind === 'e' ? 'enum' : column.type);
      return {
        name: column.name,
        rawType: column.type,
        family: parsed.family,
        length: parsed.length,
        nullable: !column.not_null,
        generated: column.generated === 's',
      };
    });
    const primary = tableConstraints.find((c) => c.kind === 'p');
    const id = `${table.schema}.${table.name}`;
    catalogTables.push({
      id,
      schema: table.schema,
      name: table.name,
      columns: catalogColumns,
      primaryKey: primary ? { name: primary.name, columns: columnNames(primary.columns) } : undefined,
      uniqueKeys: tableConstraints
        .filter((c) => c.kind === 'u')
        .map((c) => ({ name: c.name, columns: columnNames(c.columns) })),
      foreignKeys: tableConstraints
        .filter((c) => c.kind === 'f' && c.target_oid !== null && tableById.has(c.target_oid))
        .map((c) => {
          const target = tableById.get(c.target_oid!)!;
          const targetNames = new Map(
            byTable(columns, target.oid).map((column) => [column.attnum, column.name]),
          );
          return {
            name: c.name,
            columns: columnNames(c.columns),
            target: `${target.schema}.${target.name}`,
            targetColumns: (c.target_columns ?? []).map((n) => targetNames.get(n)!),
          };
        }),
      estimatedRows: table.estimate !== null ? Number(table.estimate) : await exactCount(client, table),
    });
    script.preData.push(
      `CREATE TABLE ${qualifiedPg(table)} (\n  ${tableColumns.map(columnDefinition).join(',\n  ')}\n)`,
    );
    for (const constraint of tableConstraints) {
      const statement = `ALTER TABLE ONLY ${qualifiedPg(table)} ADD CONSTRAINT ${quotePg(constraint.name)} ${constraint.definition}`;
      if (constraint.kind === 'p' || constraint.kind === 'u' || constraint.kind === 'x')
        script.postData.keys.push(statement);
      else if (constraint.kind === 'f') script.postData.foreignKeys.push(statement);
      else script.postData.other.push(statement);
    }
    for (const index of byTable(indexes, table.oid)) script.postData.other.push(index.definition);
    // Masked integer keys may lie beyond the source's sequence position: new rows in the copy must not collide.
    for (const column of tableColumns) {
      const sequence = /^nextval\('((?:[^']|'')+)'::regclass\)$/.exec(column.default_expr ?? '')?.[1];
      if (!sequence) continue;
      script.postData.other.push(
        `SELECT setval('${sequence}', greatest((SELECT last_value FROM ${sequence.replace(/''/g, "'")}), coalesce(max(${quotePg(column.name)}), 1))) FROM ${qualifiedPg(table)}`,
      );
    }
    for (const column of tableColumns.filter((c) => c.identity)) {
      script.postData.other.push(
        `SELECT setval(pg_get_serial_sequence('${qualifiedPg(table).replace(/'/g, "''")}', ${literal(column.name)}), coalesce(max(${quotePg(column.name)}), 1), max(${quotePg(column.name)}) is not null) FROM ${qualifiedPg(table)}`,
      );
    }
  }
  return { catalog: { kind: 'postgres', tables: catalogTables }, schema: script };
}

function columnDefinition(column: ColumnRow): string {
  const parts = [quotePg(column.name), column.type];
  if (column.generated === 's') parts.push(`GENERATED ALWAYS AS (${column.default_expr}) STORED`);
  else if (column.identity)
    parts.push(`GENERATED ${column.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  else if (column.default_expr !== null) parts.push(`DEFAULT ${column.default_expr}`);
  if (column.not_null) parts.push('NOT NULL');
  return parts.join(' ');
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A table never analysed has no estimate (reltuples = -1): count it (once, before copying). */
async function exactCount(client: pg.ClientBase, table: TableRow): Promise<number> {
  const result = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualifiedPg(table)}`);
  return Number(result.rows[0]!.n);
}
