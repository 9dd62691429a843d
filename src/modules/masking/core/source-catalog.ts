import type { ColumnFamily } from '../../../platform/datamap/datamap-types.ts';

/**
 * The structure of a source database as the masking planner needs it, read from its catalog
 * (PostgreSQL's pg_catalog, MySQL's information_schema). Plain data: the copy's schema is
 * re-created from it and the subset planner walks its foreign keys.
 */
export interface CatalogColumn {
  name: string;
  /** As the database spells it: `character varying(255)`, `int(11) unsigned`. */
  rawType: string;
  family: ColumnFamily;
  length?: number;
  nullable: boolean;
  /** Computed by the database (GENERATED … AS): never written, re-created with the table. */
  generated: boolean;
}

export interface CatalogKey {
  name: string;
  columns: string[];
}

export interface CatalogForeignKey {
  name: string;
  /** Columns of the holding table, in the order of `targetColumns`. */
  columns: string[];
  target: string;
  targetColumns: string[];
}

export interface CatalogTable {
  /** `schema.table`: how every plan and report names the table. */
  id: string;
  schema: string;
  name: string;
  columns: CatalogColumn[];
  primaryKey?: CatalogKey;
  uniqueKeys: CatalogKey[];
  foreignKeys: CatalogForeignKey[];
  /** The database's own estimate (pg_class.reltuples, information_schema.TABLES.TABLE_ROWS). */
  estimatedRows: number;
}

export interface SourceCatalog {
  kind: 'postgres' | 'mysql';
  tables: CatalogTable[];
}

export function tableId(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** The table a user names as `customers` or `public.customers`; undefined when none or several match. */
export function findTable(catalog: SourceCatalog, name: string): CatalogTable | undefined {
  const exact = catalog.tables.find((table) => table.id === name);
  if (exact) return exact;
  const byName = catalog.tables.filter((table) => table.name === name);
  return byName.length === 1 ? byName[0] : undefined;
}

/** Columns that are (part of) the primary key or a unique constraint. */
export function uniqueColumns(table: CatalogTable): Set<string> {
  const keys = [...(table.primaryKey ? [table.primaryKey] : []), ...table.uniqueKeys];
  return new Set(keys.flatMap((key) => key.columns));
}

/** The columns the copy writes: every column the database does not compute itself. */
export function writableColumns(table: CatalogTable): CatalogColumn[] {
  return table.columns.filter((column) => !column.generated);
}
