import type mysql from 'mysql2/promise';
import { loadOnFirstUse } from '../../../kernel/runtime/load-on-first-use.ts';
import type { SqlConnection } from '../../datamap/datamap-types.ts';
import { resolveConnectionUrl, resolvePassword, resolveTls } from '../connection-secrets.ts';
import type { Connector, Row } from '../connector.ts';
import { SqlConnector, type SqlDriver, type SqlRunner } from '../sql/sql-connector.ts';
import { mysqlDialect } from '../sql/sql-dialect.ts';
import type { SqlStatement } from '../sql/sql-statement.ts';

// The MySQL driver loads when a MySQL or MariaDB system is first used (~9 MB in every process otherwise).
const loadMysql = loadOnFirstUse<typeof import('mysql2/promise')>('mysql2/promise');

/**
 * A MySQL or MariaDB source system through a `mysql2` pool, with server-side prepared statements
 * (`execute`) so values never enter the SQL text. Opened on first use.
 */
export function createMysqlConnector(systemId: string, connection: SqlConnection): Connector {
  return new SqlConnector('mysql', systemId, mysqlDialect, new MysqlDriver(systemId, connection));
}

type Executor = Pick<mysql.Pool, 'execute'> | Pick<mysql.PoolConnection, 'execute'>;

class MysqlDriver implements SqlDriver {
  readonly #systemId: string;
  readonly #connection: SqlConnection;
  #pool: mysql.Pool | undefined;

  constructor(systemId: string, connection: SqlConnection) {
    this.#systemId = systemId;
    this.#connection = connection;
  }

  get pooled(): SqlRunner {
    return { run: (statement) => this.#run(this.#open(), statement) };
  }

  async *session<T>(work: (runner: SqlRunner) => AsyncIterable<T>): AsyncIterable<T> {
    const connection = await this.#open().getConnection();
    try {
      yield* work({ run: (statement) => this.#run(connection, statement) });
    } finally {
      connection.release();
    }
  }

  async transaction<T>(work: (runner: SqlRunner) => Promise<T>): Promise<T> {
    const connection = await this.#open().getConnection();
    let broken = false;
    try {
      await connection.beginTransaction();
      const result = await work({ run: (statement) => this.#run(connection, statement) });
      await connection.commit();
      return result;
    } catch (error) {
      await connection.rollback().catch(() => (broken = true));
      throw error;
    } finally {
      if (broken) connection.destroy();
      else connection.release();
    }
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  async #run(executor: Executor, statement: SqlStatement): Promise<{ rows: Row[]; affected: number }> {
    // The client-side timeout is a backstop for servers without a statement time limit.
    const timeout = this.#connection.statementTimeoutMs
      ? this.#connection.statementTimeoutMs + 5_000
      : undefined;
    const [result] = await executor.execute({ sql: statement.text, timeout }, statement.params as never[]);
    if (Array.isArray(result)) return { rows: result as Row[], affected: 0 };
    return { rows: [], affected: (result as mysql.ResultSetHeader).affectedRows };
  }

  #open(): mysql.Pool {
    if (this.#pool) return this.#pool;
    const c = this.#connection;
    const url = resolveConnectionUrl(this.#systemId, c);
    const tls = resolveTls(c.tls);
    const pool = loadMysql().createPool({
      ...(url ? { uri: url } : {}),
      host: c.host,
      port: c.port,
      database: c.database,
      user: c.user,
      password: resolvePassword(c),
      ssl: tls,
      connectionLimit: c.poolSize,
      connectTimeout: c.connectTimeoutMs,
      // BIGINT and DECIMAL as strings: a JavaScript number would silently round them.
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      timezone: 'Z',
      // A DATE stays `1968-09-18` (as PostgreSQL's connector returns it), not a midnight timestamp.
      dateStrings: ['DATE'],
      waitForConnections: true,
    });
    const timeoutMs = c.statementTimeoutMs;
    if (timeoutMs) {
      // Server-side statement limit: MariaDB spells it max_statement_time (seconds), MySQL
      // max_execution_time (milliseconds, SELECT only). Each server ignores the other's by error.
      // The event hands over the callback-style core connection, whatever the typings say.
      pool.on('connection', (connection) => {
        const core = connection as unknown as { query(sql: string, callback: () => void): void };
        core.query(`SET SESSION max_statement_time = ${timeoutMs / 1000}`, () => {});
        core.query(`SET SESSION max_execution_time = ${Math.trunc(timeoutMs)}`, () => {});
      });
    }
    this.#pool = pool;
    return pool;
  }
}
