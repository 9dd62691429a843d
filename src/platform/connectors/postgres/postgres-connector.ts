import { createHash } from 'node:crypto';
import pg from 'pg';
import { surviveConnectionLoss } from '../../../kernel/database/pool-connection-loss.ts';
import type { SqlConnection } from '../../datamap/datamap-types.ts';
import { resolveConnectionUrl, resolvePassword, resolveTls } from '../connection-secrets.ts';
import type { Connector } from '../connector.ts';
import { SqlConnector, type SqlDriver, type SqlRunner } from '../sql/sql-connector.ts';
import { postgresDialect } from '../sql/sql-dialect.ts';
import type { SqlStatement } from '../sql/sql-statement.ts';

/**
 * A PostgreSQL source system through a `pg` pool. The pool is opened on first use; the password is
 * resolved from its secret reference each time a connection is opened, so rotating it needs no
 * restart. Every statement is bounded by `statementTimeoutMs` on the server.
 */
export function createPostgresConnector(systemId: string, connection: SqlConnection): Connector {
  return new SqlConnector('postgres', systemId, postgresDialect, new PostgresDriver(systemId, connection));
}

class PostgresDriver implements SqlDriver {
  readonly #systemId: string;
  readonly #connection: SqlConnection;
  #pool: pg.Pool | undefined;

  constructor(systemId: string, connection: SqlConnection) {
    this.#systemId = systemId;
    this.#connection = connection;
  }

  get pooled(): SqlRunner {
    return { run: async (statement) => toResult(await send(this.#open(), statement)) };
  }

  async *session<T>(work: (runner: SqlRunner) => AsyncIterable<T>): AsyncIterable<T> {
    const client = await this.#open().connect();
    try {
      yield* work({ run: async (statement) => toResult(await send(client, statement)) });
    } finally {
      client.release();
    }
  }

  async transaction<T>(work: (runner: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.#open().connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work({ run: async (statement) => toResult(await send(client, statement)) });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: destroy it instead of reusing it.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  #open(): pg.Pool {
    if (this.#pool) return this.#pool;
    const connection = this.#connection;
    const tls = resolveTls(connection.tls);
    const pool = new pg.Pool({
      connectionString: resolveConnectionUrl(this.#systemId, connection),
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      // pg calls this for every new connection: the secret is read at use, never kept.
      password: connection.password ? () => resolvePassword(connection) ?? '' : undefined,
      ssl: tls ?? (connection.tls?.mode === 'disable' ? false : undefined),
      max: connection.poolSize,
      connectionTimeoutMillis: connection.connectTimeoutMs,
      statement_timeout: connection.statementTimeoutMs || undefined,
      idleTimeoutMillis: 30_000,
      application_name: 'steward',
      types: DATES_AS_WRITTEN,
    });
    // The source system restarting must not crash Steward: dead clients are dropped, new ones made on demand.
    surviveConnectionLoss(pool);
    this.#pool = pool;
    return pool;
  }
}

const DATE_OID = 1082;

/**
 * A DATE stays `1968-09-18`: pg's default turns it into a Date at local midnight, which an export
 * then writes as a timestamp (one day off east of UTC). Every other type keeps pg's parser.
 */
const DATES_AS_WRITTEN = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID && format !== 'binary'
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Reads are sent as named prepared statements: their text is stable per collection (values travel
 * as array parameters), so each connection parses and plans them once. Writes, and reads whose
 * text varies with the input (batches of counts), stay unnamed so the server does not accumulate
 * one-off statements; they go as text and values, which pg sends without copying a config object.
 */
function send(
  queryable: Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>,
  statement: SqlStatement,
): Promise<pg.QueryResult> {
  if (!statement.text.startsWith('SELECT ') || statement.shapeVaries)
    return queryable.query(statement.text, statement.params);
  return queryable.query({
    name: statementName(statement.text),
    text: statement.text,
    values: statement.params,
  });
}

/** Names by text, remembered, so a read's text is hashed once rather than at every send. */
const statementNames = new Map<string, string>();
const NAMES_REMEMBERED = 1000;

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name) return name;
  name = `steward_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  if (statementNames.size >= NAMES_REMEMBERED) statementNames.clear();
  statementNames.set(text, name);
  return name;
}

function toResult(result: pg.QueryResult): { rows: Record<string, unknown>[]; affected: number } {
  return { rows: result.rows, affected: result.rowCount ?? 0 };
}
