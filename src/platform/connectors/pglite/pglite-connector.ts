import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import type { PgliteConnection } from '../../datamap/datamap-types.ts';
import { lockDataDirectory } from '../../../kernel/database/embedded-lock.ts';
import { Unavailable } from '../../../kernel/errors/domain-error.ts';
import type { Connector, Row } from '../connector.ts';
import { SqlConnector, type SqlDriver, type SqlRunner } from '../sql/sql-connector.ts';
import { postgresDialect } from '../sql/sql-dialect.ts';
import type { SqlStatement } from '../sql/sql-statement.ts';

export interface PgliteConnectorOptions {
  /**
   * An instance this process already has open on the same data directory (the demo seeds its shop
   * with one): used as is and left open on close. Two instances on one directory would corrupt it.
   */
  instance?: PGlite;
}

/**
 * An embedded PGlite database (the demo shop). Opened on first use, then kept open: opening a
 * PGlite data directory costs a second or more. The directory is locked with a pid file so that a
 * second process refuses to open it instead of corrupting it.
 */
export function createPgliteConnector(
  systemId: string,
  connection: PgliteConnection,
  options: PgliteConnectorOptions = {},
): Connector {
  return new SqlConnector(
    'pglite',
    systemId,
    postgresDialect,
    new PgliteDriver(systemId, connection.dataDir, options.instance),
  );
}

class PgliteDriver implements SqlDriver {
  readonly #systemId: string;
  readonly #dataDir: string;
  readonly #borrowed: PGlite | undefined;
  #opening: Promise<{ pglite: PGlite; unlock: () => void }> | undefined;

  constructor(systemId: string, dataDir: string, borrowed: PGlite | undefined) {
    this.#systemId = systemId;
    this.#dataDir = dataDir;
    this.#borrowed = borrowed;
  }

  get pooled(): SqlRunner {
    return { run: async (statement) => run(await this.#pglite(), statement) };
  }

  /** PGlite has one connection: the session is simply that. */
  session<T>(work: (runner: SqlRunner) => AsyncIterable<T>): AsyncIterable<T> {
    return work(this.pooled);
  }

  async transaction<T>(work: (runner: SqlRunner) => Promise<T>): Promise<T> {
    const pglite = await this.#pglite();
    // PGlite's transaction() commits when the callback resolves and rolls back when it throws;
    // statements issued on the instance meanwhile wait, so nothing lands inside by accident.
    return pglite.transaction((tx) => work({ run: (statement) => run(tx, statement) }));
  }

  async close(): Promise<void> {
    const opening = this.#opening;
    this.#opening = undefined;
    if (!opening || this.#borrowed) return;
    const { pglite, unlock } = await opening;
    await pglite.close();
    unlock();
  }

  #pglite(): Promise<PGlite> {
    if (this.#borrowed) return Promise.resolve(this.#borrowed);
    this.#opening ??= this.#open();
    return this.#opening.then((opened) => opened.pglite);
  }

  async #open(): Promise<{ pglite: PGlite; unlock: () => void }> {
    const inMemory = this.#dataDir.startsWith('memory://');
    let unlock = () => {};
    try {
      if (!inMemory) {
        mkdirSync(this.#dataDir, { recursive: true });
        unlock = lockDataDirectory(this.#dataDir);
      }
      const pglite = await PGlite.create({
        dataDir: inMemory ? undefined : this.#dataDir,
        // int8 as text, like the pg driver: a JavaScript number would round ids above 2^53.
        parsers: { [pgliteTypes.INT8]: (value: string) => value },
      });
      return { pglite, unlock };
    } catch (error) {
      unlock();
      this.#opening = undefined;
      if ((error as { code?: string }).code === 'db.embedded_in_use') throw error;
      throw new Unavailable(
        'connector.embedded_open_failed',
        `System ${this.#systemId}: cannot open the embedded database in ${this.#dataDir}: ${(error as Error).message}`,
        { system: this.#systemId },
        { cause: error },
      );
    }
  }
}

async function run(
  executor: Pick<PGlite, 'query'>,
  statement: SqlStatement,
): Promise<{ rows: Row[]; affected: number }> {
  const result = await executor.query<Row>(statement.text, statement.params);
  return { rows: result.rows, affected: result.affectedRows ?? 0 };
}
