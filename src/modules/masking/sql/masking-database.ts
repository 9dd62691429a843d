import type { Cell } from '../core/row-masker.ts';
import type { CatalogTable, SourceCatalog } from '../core/source-catalog.ts';
import type { KeyRow } from '../core/subset-state.ts';

/**
 * The copy's schema as statements, in the order a restore runs them: everything the rows need
 * before them, the rest after them (faster loading, and constraints then check the masked data).
 */
export interface SchemaScript {
  /** Schemas, types, sequences, tables with their columns (and MySQL's primary keys). */
  preData: string[];
  postData: {
    /** Primary keys and unique constraints: foreign keys need them. */
    keys: string[];
    foreignKeys: string[];
    /** Check constraints, other indexes, sequence positions. */
    other: string[];
  };
}

/** What the masked copy reads from a database: the source, and the copy for the leak check. */
export interface DatabaseReader {
  readonly kind: 'postgres' | 'mysql';
  readCatalog(): Promise<{ catalog: SourceCatalog; schema: SchemaScript }>;
  /** The rows of the table (the given columns, in that order; all rows or those matching a condition) in batches, streamed. */
  streamRows(
    table: CatalogTable,
    columns: readonly string[],
    options?: { signal?: AbortSignal; condition?: string },
  ): AsyncIterable<Cell[][]>;
  /** PostgreSQL only: the rows (all, or those matching a condition) as raw COPY text chunks, masked or passed through as text. */
  streamCopyText?(
    table: CatalogTable,
    columns: readonly string[],
    options?: { signal?: AbortSignal; condition?: string },
  ): AsyncIterable<Buffer>;
  /** The given columns of the rows matching a condition in the source's SQL (none: every row), as text. */
  streamKeyRows(table: CatalogTable, columns: readonly string[], condition?: string): AsyncIterable<KeyRow[]>;
  /** Rows whose `keyColumns` equal one of the tuples, the given columns as text. */
  readByKeys(
    table: CatalogTable,
    columns: readonly string[],
    keyColumns: readonly string[],
    keys: readonly string[][],
  ): Promise<KeyRow[]>;
  /** About `limit` rows spread over the table, the given columns as text. */
  sampleRows(table: CatalogTable, columns: readonly string[], limit: number): Promise<KeyRow[]>;
  close(): Promise<void>;
}

/** Where the masked rows go: a database of the source's kind, or a dump file. */
export interface CopyWriter {
  /** Runs statements one by one; a failure names the statement's object, never a value. */
  apply(statements: readonly string[]): Promise<void>;
  /** Empties a table before it is (re)written: a table interrupted by a crash starts over. */
  emptyTable(table: CatalogTable): Promise<void>;
  writeRows(
    table: CatalogTable,
    columns: readonly string[],
    batches: AsyncIterable<Cell[][]>,
  ): Promise<number>;
  /** PostgreSQL and dumps: raw COPY text chunks written as they come; returns the rows (lines) written. */
  writeCopyText?(
    table: CatalogTable,
    columns: readonly string[],
    chunks: AsyncIterable<Buffer>,
  ): Promise<number>;
  /** After the last statement: a dump file is assembled from its parts here; a database has nothing to do. */
  finish(tables: readonly CatalogTable[]): Promise<void>;
  /** A reader on the copy, for the leak check (not to be closed separately: `close` ends both). */
  reader(): DatabaseReader;
  close(): Promise<void>;
}
