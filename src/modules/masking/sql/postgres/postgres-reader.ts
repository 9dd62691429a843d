import pg from 'pg';
import { surviveConnectionLoss } from '../../../../kernel/database/pool-connection-loss.ts';
import { to as copyTo } from 'pg-copy-streams';
import type { Cell } from '../../core/row-masker.ts';
import type { CatalogTable } from '../../core/source-catalog.ts';
import type { KeyRow } from '../../core/subset-state.ts';
import { copyTextBatches } from '../copy-text-rows.ts';
import type { DatabaseReader, SchemaScript } from '../masking-database.ts';
import type { SourceCatalog } from '../../core/source-catalog.ts';
import { readPostgresCatalog } from './postgres-catalog.ts';
import { pgColumnList, qualifiedPg, quotePg } from './postgres-identifiers.ts';

/**
 * Reads a PostgreSQL database for the masked copy: rows stream through `COPY … TO STDOUT` (the
 * fastest way out of PostgreSQL, and constant memory), in one REPEATABLE READ snapshot per table.
 */
export class PostgresReader implements DatabaseReader {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #schemas: readonly string[];

  constructor(pool: pg.Pool, schemas: readonly string[]) {
    this.#pool = pool;
    this.#schemas = schemas;
  }

  async readCatalog(): Promise<{ catalog: SourceCatalog; schema: SchemaScript }> {
    const client = await this.#pool.connect();
    try {
      return await readPostgresCatalog(client, this.#schemas);
    } finally {
      client.release();
    }
  }

  async *streamRows(
    table: CatalogTable,
    columns: readonly string[],
    options: { signal?: AbortSignal; condition?: string } = {},
  ): AsyncIterable<Cell[][]> {
    yield* copyTextBatches(this.streamCopyText(table, columns, options));
  }

  async *streamCopyText(
    table: CatalogTable,
    columns: readonly string[],
    options: { signal?: AbortSignal; condition?: string } = {},
  ): AsyncIterable<Buffer> {
    const source = options.condition
      ? `(SELECT ${pgColumnList(columns)} FROM ${qualifiedPg(table)} WHERE ${options.condition})`
      : `${qualifiedPg(table)} (${pgColumnList(columns)})`;
    yield* this.#copyOutRaw(`COPY ${source} TO STDOUT`, options.signal);
  }

  async *streamKeyRows(
    table: CatalogTable,
    columns: readonly string[],
    condition?: string,
  ): AsyncIterable<KeyRow[]> {
    const where = condition ? ` WHERE ${condition}` : '';
    const select = `SELECT ${columns.map((c) => `${quotePg(c)}::text`).join(', ')} FROM ${qualifiedPg(table)}${where}`;
    for await (const batch of this.#copyOut(`COPY (${select}) TO STDOUT`))
      yield batch.map((row) => keyRow(columns, row));
  }

  async readByKeys(
    table: CatalogTable,
    columns: readonly string[],
    keyColumns: readonly string[],
    keys: readonly string[][],
  ): Promise<KeyRow[]> {
    if (!keys.length) return [];
    const types = keyColumns.map((name) => table.columns.find((column) => column.name === name)!.rawType);
    const unnest = keyColumns.map((_, i) => `$${i + 1}::text[]`).join(', ');
    const aliases = keyColumns.map((_, i) => `k${i}`);
    const text = `SELECT ${columns.map((c) => `${quotePg(c)}::text AS ${quotePg(c)}`).join(', ')} FROM ${qualifiedPg(table)}
       WHERE (${pgColumnList(keyColumns)}) IN (SELECT ${aliases.map((alias, i) => `${alias}::${types[i]}`).join(', ')} FROM unnest(${unnest}) AS u(${aliases.join(', ')}))`;
    const params = keyColumns.map((_, i) => keys.map((key) => key[i]));
    return (await this.#pool.query<KeyRow>(text, params)).rows;
  }

  async sampleRows(table: CatalogTable, columns: readonly string[], limit: number): Promise<KeyRow[]> {
    const list = columns.map((c) => `${quotePg(c)}::text AS ${quotePg(c)}`).join(', ');
    // Large tables are sampled by block-independent Bernoulli sampling (no full sort); small ones exactly.
    const percent =
      table.estimatedRows > limit * 20 ? Math.min(100, (limit * 300) / table.estimatedRows) : undefined;
    const from = percent
      ? `${qualifiedPg(table)} TABLESAMPLE BERNOULLI (${percent.toFixed(6)}) REPEATABLE (7)`
      : qualifiedPg(table);
    const rows = (
      await this.#pool.query<KeyRow>(`SELECT ${list} FROM ${from} ORDER BY random() LIMIT ${limit}`)
    ).rows;
    if (rows.length >= Math.min(limit, table.estimatedRows / 2) || !percent) return rows;
    return (
      await this.#pool.query<KeyRow>(
        `SELECT ${list} FROM ${qualifiedPg(table)} ORDER BY random() LIMIT ${limit}`,
      )
    ).rows;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async *#copyOut(statement: string, signal?: AbortSignal): AsyncIterable<Cell[][]> {
    yield* copyTextBatches(this.#copyOutRaw(statement, signal));
  }

  async *#copyOutRaw(statement: string, signal?: AbortSignal): AsyncIterable<Buffer> {
    const client = await this.#pool.connect();
    let completed = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const stream = client.query(copyTo(statement));
      const abort = () => stream.destroy(new Error('cancelled'));
      signal?.addEventListener('abort', abort, { once: true });
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } finally {
        signal?.removeEventListener('abort', abort);
      }
      await client.query('COMMIT');
      completed = true;
    } finally {
      // A COPY left half-read (an error, a consumer that stopped) leaves the connection unusable: drop it.
      client.release(!completed);
    }
  }
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
          : Buffer.from(cell).toString('utf8');
  });
  return row;
}

/** A pool on a PostgreSQL URL for the copy (one connection per table copied at once, plus one). */
export function postgresPool(url: string, connections: number): pg.Pool {
  // A connection the server ends fails the statement on it (the run can be resumed), never the process.
  return surviveConnectionLoss(new pg.Pool({ connectionString: url, max: connections + 1 }));
}
