import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest } from '../../src/kernel/database/migrate.ts';
import { openDatabase, type StewardDatabase } from '../../src/kernel/database/open-database.ts';

export type TestBackend = 'pglite' | 'postgres';

/** The backend this test run uses: `STEWARD_TEST_DB=pglite|postgres` (scripts/run-tests.ts sets it). */
export const TEST_BACKEND: TestBackend = process.env.STEWARD_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** The PostgreSQL server tests use; its `test` database is only used to create throwaway ones. */
export const POSTGRES_ADMIN_URL = process.env.STEWARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends StewardDatabase {
  /** The connection URL on PostgreSQL (a fresh database per call), undefined on PGlite. */
  url?: string;
}

/**
 * A fresh, migrated Steward database on the run's backend: in-memory PGlite, or a new database on
 * the real PostgreSQL server that `close()` drops again.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const database = TEST_BACKEND === 'postgres' ? await createPostgresTestDatabase() : await openDatabase(testDatabaseConfig('memory://'));
  if (options.migrate !== false) await migrateToLatest(database.db);
  return database;
}

export function testDatabaseConfig(dataDir: string, url?: string) {
  return { dataDir, url, poolSize: 5, connectAttempts: 1, statementTimeoutMs: 30_000 };
}

/** A new empty database on the real PostgreSQL server, returned with its URL and a dropper. */
export async function createPostgresDatabase(prefix = 'steward_t'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const created = await createPostgresDatabase();
  const database = await openDatabase(testDatabaseConfig('unused', created.url));
  return {
    ...database,
    url: created.url,
    async close() {
      await database.close();
      await created.drop();
    },
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
