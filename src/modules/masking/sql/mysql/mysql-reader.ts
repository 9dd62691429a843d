import type { Readable } from 'node:stream';
import type { Connection as CallbackConnection } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { Cell } from '../../core/row-masker.ts';
import type { CatalogTable, SourceCatalog } from '../../core/source-catalog.ts';
import type { KeyRow } from '../../core/subset-state.ts';
import { BATCH_ROWS } from '../copy-text-rows.ts';
import type { DatabaseReader, SchemaScript } from '../masking-database.ts';
import { readMysqlCatalog } from './mysql-catalog.ts';
import { myColumnList, quoteMy } from './mysql-identifiers.ts';

/** Driver options under which every value arrives as the server's text (or bytes for binary columns). */
export const MYSQL_TEXT_OPTIONS = {
  dateStrings: true,
  supportBigNumbers: true,
  bigNumberStrings: true,
  decimalNumbers: false,
} as const;

/**
 * Reads a MySQL or MariaDB database for the masked copy: rows stream from the server as they are
 * produced (the driver pauses the connection when the copy falls behind), one consistent
 * snapshot per table.
 */
export class MysqlReader implements DatabaseReader {
  readonly kind = 'mysql' as const;
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async readCatalog(): Promise<{ catalog: SourceCatalog; schema: SchemaScript }> {
    const connection = await this.#pool.getConnection();
    try {
      return await readMysqlCatalog(connection);
    } finally {
      connection.release();
    }
  }

  async *streamRows(
    table: CatalogTable,
    columns: readonly string[],
    options: { signal?: AbortSignal; condition?: string } = {},
  ): AsyncIterable<Cell[][]> {
    const where = options.condition ? ` WHERE ${options.condition}` : '';
    yield* this.#stream(
      `SELECT ${myColumnList(columns)} FROM ${quoteMy(table.name)}${where}`,
      options.signal,
    );
  }

  async *streamKeyRows(
    table: CatalogTable,
    columns: readonly string[],
    condition?: string,
  ): AsyncIterable<KeyRow[]> {
    const where = condition ? ` WHERE ${condition}` : '';
    for await (const batch of this.#stream(
      `SELECT ${myColumnList(columns)} FROM ${quoteMy(table.name)}${where}`,
    )) {
      yield batch.map((cells) => keyRow(columns, cells));
    }
  }

  async readByKeys(
    table: CatalogTable,
    columns: readonly string[],
    keyColumns: readonly string[],
    keys: readonly string[][],
  ): Promise<KeyRow[]> {
    if (!keys.length) return [];
    const tuple = `(${keyColumns.map(() => '?').join(', ')})`;
    const [rows] = await this.#pool.query({
      sql: `SELECT ${myColumnList(columns)} FROM ${quoteMy(table.name)} WHERE (${myColumnList(keyColumns)}) IN (${keys.map(() => tuple).join(', ')})`,
      values: keys.flat(),
      rowsAsArray: true,
      ...MYSQL_TEXT_OPTIONS,
    });
    return (rows as Cell[][]).map((cells) => keyRow(columns, cells.map(textCell)));
  }

  async sampleRows(table: CatalogTable, columns: readonly string[], limit: number): Promise<KeyRow[]> {
    const [rows] = await this.#pool.query({
      sql: `SELECT ${myColumnList(columns)} FROM ${quoteMy(table.name)} ORDER BY RAND() LIMIT ${Number(limit)}`,
      rowsAsArray: true,
      ...MYSQL_TEXT_OPTIONS,
    });
    return (rows as Cell[][]).map((cells) => keyRow(columns, cells.map(textCell)));
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async *#stream(sql: string, signal?: AbortSignal): AsyncIterable<Cell[][]> {
    const connection: PoolConnection = await this.#pool.getConnection();
    let completed = false;
    try {
      await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      // The callback connection under the promise wrapper is the one that streams.
      const core = connection.connection as unknown as CallbackConnection;
      const stream = core
        .query({ sql, rowsAsArray: true, ...MYSQL_TEXT_OPTIONS })
        .stream({ highWaterMark: BATCH_ROWS }) as Readable;
      const abort = () => stream.destroy(new Error('cancelled'));
      signal?.addEventListener('abort', abort, { once: true });
      let batch: Cell[][] = [];
      try {
        for await (const row of stream) {
          batch.push((row as unknown[]).map(textCell));
          if (batch.length >= BATCH_ROWS) {
            yield batch;
            batch = [];
          }
        }
      } finally {
        signal?.removeEventListener('abort', abort);
      }
      if (batch.length) yield batch;
      await connection.query('COMMIT');
      completed = true;
    } finally {
      // A result left half-read keeps the connection busy: destroy it rather than return it.
      if (completed) connection.release();
      else connection.destroy();
    }
  }
}

/** The driver's value as text: numbers and JSON documents as the server writes them, bytes kept. */
export function textCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function keyRow(columns: readonly string[], cells: Cell[]): KeyRow {
  const row: KeyRow = {};
  columns.forEach((column, i) => {
    const cell = cells[i];
    row[column] =
      cell === null || cell === undefined
        ? null
        : typeof cell === 'string'
          ? cell
          : Buffer.from(cell).toString('hex');
  });
  return row;
}
