import type { Pool } from 'mysql2/promise';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { Cell } from '../../core/row-masker.ts';
import type { CatalogTable } from '../../core/source-catalog.ts';
import type { CopyWriter, DatabaseReader } from '../masking-database.ts';
import { MysqlReader } from './mysql-reader.ts';
import { myColumnList, quoteMy } from './mysql-identifiers.ts';

/** Rows per INSERT: well under the default max_allowed_packet for ordinary rows. */
const INSERT_ROWS = 1000;

/** Writes the masked copy into a MySQL/MariaDB database with multi-row INSERTs. */
export class MysqlWriter implements CopyWriter {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async apply(statements: readonly string[]): Promise<void> {
    const connection = await this.#pool.getConnection();
    try {
      for (const statement of statements) {
        try {
          await connection.query(statement);
        } catch (error) {
          throw mysqlStatementFailed(statement, error);
        }
      }
    } finally {
      connection.release();
    }
  }

  async emptyTable(table: CatalogTable): Promise<void> {
    // DELETE, not TRUNCATE: TRUNCATE is refused on a table that a foreign key references.
    await this.#pool.query(`DELETE FROM ${quoteMy(table.name)}`);
  }

  async writeRows(
    table: CatalogTable,
    columns: readonly string[],
    batches: AsyncIterable<Cell[][]>,
  ): Promise<number> {
    const connection = await this.#pool.getConnection();
    let rows = 0;
    try {
      // The copy's own constraints are added after the data; unique checks would only slow the load.
      await connection.query('SET unique_checks = 0, foreign_key_checks = 0');
      const insert = `INSERT INTO ${quoteMy(table.name)} (${myColumnList(columns)}) VALUES ?`;
      for await (const batch of batches) {
        for (let start = 0; start < batch.length; start += INSERT_ROWS) {
          const slice = batch.slice(start, start + INSERT_ROWS);
          try {
            await connection.query(insert, [slice]);
          } catch (error) {
            throw mysqlStatementFailed(`INSERT INTO ${table.name}`, error);
          }
          rows += slice.length;
        }
      }
      await connection.query('SET unique_checks = 1, foreign_key_checks = 1');
      return rows;
    } finally {
      connection.release();
    }
  }

  async finish(): Promise<void> {}

  reader(): DatabaseReader {
    return new MysqlReader(this.#pool);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

function mysqlStatementFailed(statement: string, error: unknown): InvalidInput {
  // MySQL quotes offending values in its messages (`Duplicate entry 'x' for key …`): cut them out.
  const reason = (error instanceof Error ? error.message : String(error)).replace(/'[^']*'/g, "'…'");
  const name = /ADD (?:CONSTRAINT|UNIQUE KEY|KEY) (`[^`]+`)/.exec(statement)?.[1] ?? statement.slice(0, 60);
  return new InvalidInput(
    'masking.copy_rejected',
    `The copy refused ${name}: ${reason}. If a masked column breaks it, give that column another rule (--rule table.column=transformer).`,
    { object: name, code: (error as { code?: string }).code },
    { cause: error },
  );
}
