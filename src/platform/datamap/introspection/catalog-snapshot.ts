import type { OnDeleteRule } from '../datamap-types.ts';

/** What the database catalog says about one table: the raw material of a draft data map. */
export interface CatalogTable {
  /** PostgreSQL schema or MySQL database. */
  schema: string;
  name: string;
  columns: CatalogColumn[];
  /** Empty when the table has no primary key. */
  primaryKey: string[];
  foreignKeys: CatalogForeignKey[];
}

export interface CatalogColumn {
  name: string;
  /** As the database spells it, with length: `character varying(20)`, `int(10) unsigned`, `json`. */
  type: string;
  nullable: boolean;
}

export interface CatalogForeignKey {
  constraint: string;
  /** Columns of this table, in constraint order. */
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
  onDelete: OnDeleteRule;
}

/** Runs one catalog query with parameters and returns its rows. */
export type CatalogQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
