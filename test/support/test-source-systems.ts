import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Connector } from '../../src/platform/connectors/connector.ts';
import { createMysqlConnector } from '../../src/platform/connectors/mysql/mysql-connector.ts';
import { createPostgresConnector } from '../../src/platform/connectors/postgres/postgres-connector.ts';
import type { SqlConnection } from '../../src/platform/datamap/datamap-types.ts';
import { createPostgresDatabase } from './test-database.ts';

/** The MariaDB server tests use (root without password on this machine and in CI). */
export const MARIADB_ADMIN_URL = process.env.STEWARD_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

export type SourceKind = 'postgres' | 'mysql';

/** Every SQL kind a source-system test runs on; each is a real database. */
export const SOURCE_KINDS: SourceKind[] = ['postgres', 'mysql'];

/** A throwaway source database (a customer's system, not Steward's own) with a connector on it. */
export interface TestSourceSystem {
  kind: SourceKind;
  /** postgres / mysql URL (no password). */
  url: string;
  /** Connection settings as a data map would hold them. */
  connection: SqlConnection;
  connector: Connector;
  /** Runs SQL text with several statements (schema and fixtures), outside the connector. */
  exec(sql: string): Promise<void>;
  /** Runs one query outside the connector, for assertions. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function sqlConnection(url: string | undefined): SqlConnection {
  return { url, poolSize: 3, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 };
}

/** A fresh empty database of the given kind on this machine's real server. */
export async function createSourceSystem(kind: SourceKind, systemId = 'src'): Promise<TestSourceSystem> {
  return kind === 'postgres' ? createPostgresSource(systemId) : createMariadbSource(systemId);
}

async function createPostgresSource(systemId: string): Promise<TestSourceSystem> {
  const created = await createPostgresDatabase('steward_src');
  const connection = sqlConnection(created.url);
  const connector = createPostgresConnector(systemId, connection);
  const admin = new pg.Pool({ connectionString: created.url, max: 1 });
  // An idle connection ended by the server (a test dropping databases WITH (FORCE)) is not a failure.
  admin.on('error', () => {});
  return {
    kind: 'postgres',
    url: created.url,
    connection,
    connector,
    exec: async (sql) => void (await admin.query(sql)),
    query: async (sql, params) => (await admin.query(sql, params)).rows,
    async close() {
      await connector.close();
      await admin.end();
      await created.drop();
    },
  };
}

async function createMariadbSource(systemId: string): Promise<TestSourceSystem> {
  const name = `steward_src_${randomBytes(6).toString('hex')}`;
  const root = await mysql.createConnection({ uri: MARIADB_ADMIN_URL, multipleStatements: true });
  await root.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await root.query(`USE ${name}`);
  const url = `${MARIADB_ADMIN_URL}/${name}`;
  const connection = sqlConnection(url);
  const connector = createMysqlConnector(systemId, connection);
  return {
    kind: 'mysql',
    url,
    connection,
    connector,
    exec: async (sql) => void (await root.query(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await root.query(sql, params))[0] as T[],
    async close() {
      await connector.close();
      await root.query(`DROP DATABASE IF EXISTS ${name}`);
      await root.end();
    },
  };
}
