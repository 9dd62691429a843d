import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { Cell } from '../../core/row-masker.ts';
import type { CatalogTable } from '../../core/source-catalog.ts';
import { copyTextChunks, countLines } from '../copy-text-rows.ts';
import type { CopyWriter, DatabaseReader } from '../masking-database.ts';
import { PostgresReader } from './postgres-reader.ts';
import { pgColumnList, qualifiedPg } from './postgres-identifiers.ts';

/** Writes the masked copy into a PostgreSQL database through `COPY … FROM STDIN`. */
export class PostgresWriter implements CopyWriter {
  readonly #pool: pg.Pool;
  readonly #schemas: readonly string[];

  constructor(pool: pg.Pool, schemas: readonly string[]) {
    this.#pool = pool;
    this.#schemas = schemas;
  }

  async apply(statements: readonly string[]): Promise<void> {
    const client = await this.#pool.connect();
    try {
      for (const statement of statements) {
        try {
          await client.query(statement);
        } catch (error) {
          throw statementFailed(statement, error);
        }
      }
    } finally {
      client.release();
    }
  }

  async emptyTable(table: CatalogTable): Promise<void> {
    await this.#pool.query(`TRUNCATE ${qualifiedPg(table)}`);
  }

  async writeRows(
    table: CatalogTable,
    columns: readonly string[],
    batches: AsyncIterable<Cell[][]>,
  ): Promise<number> {
    const counter = { rows: 0 };
    await this.#copyIn(table, columns, copyTextChunks(batches, counter));
    return counter.rows;
  }

  async #copyIn(
    table: CatalogTable,
    columns: readonly string[],
    chunks: AsyncIterable<Buffer>,
  ): Promise<void> {
    const client = await this.#pool.connect();
    let completed = false;
    try {
      const sink = client.query(copyFrom(`COPY ${qualifiedPg(table)} (${pgColumnList(columns)}) FROM STDIN`));
      try {
        await pipeline(Readable.from(chunks), sink);
      } catch (error) {
        throw statementFailed(`COPY ${qualifiedPg(table)}`, error);
      }
      completed = true;
    } finally {
      client.release(!completed);
    }
  }

  async finish(): Promise<void> {}

  async writeCopyText(
    table: CatalogTable,
    columns: readonly string[],
    chunks: AsyncIterable<Buffer>,
  ): Promise<number> {
    const counter = { rows: 0 };
    await this.#copyIn(table, columns, countLines(chunks, counter));
    return counter.rows;
  }

  reader(): DatabaseReader {
    return new PostgresReader(this.#pool, this.#schemas);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/**
 * The database refused a statement of the copy: a masked value breaking a constraint, a
 * transformer writing what the column cannot hold. The message names the object and the server's
 * reason, with the value cut out (PostgreSQL quotes offending values in its DETAIL, not its message).
 */
export function statementFailed(statement: string, error: unknown): InvalidInput {
  // Messages such as `invalid input syntax for type integer: "…"` quote a (masked) value: cut it out.
  const reason = (error instanceof Error ? error.message : String(error)).replace(/: "[^"]*"$/, '');
  const object = /ADD CONSTRAINT ("[^"]+")|COPY ([^ ]+)|CREATE (?:UNIQUE )?INDEX ("?[\w.]+"?)/.exec(
    statement,
  );
  const name = object?.[1] ?? object?.[2] ?? object?.[3] ?? statement.slice(0, 60);
  return new InvalidInput(
    'masking.copy_rejected',
    `The copy refused ${name}: ${reason}. If a masked column breaks it, give that column another rule (--rule table.column=transformer).`,
    { object: name, code: (error as { code?: string }).code },
    { cause: error },
  );
}
