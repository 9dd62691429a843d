import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/app/database.ts';
import { migrateSteward } from '../../src/app/start-steward.ts';
import { openDatabase, type StewardDatabase } from '../../src/kernel/database/open-database.ts';

/** The PostgreSQL server tests use; its `test` database is only used to create throwaway ones. */
export const POSTGRES_ADMIN_URL =
  process.env.STEWARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabase = StewardDatabase<Database>;

/** A fresh, migrated Steward database: a new database on the real PostgreSQL server that `close()` drops again. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const database = await createPostgresTestDatabase();
  if (options.migrate !== false) await migrateSteward(database);
  return database;
}

/** The `database` section of steward.yaml for a test: a PostgreSQL URL, or the embedded server in `dataDir`. */
export function testDatabaseConfig(dataDir: string, url?: string) {
  return { dataDir, url, poolSize: 5, connectAttempts: 1, statementTimeoutMs: 30_000 };
}

/** A new empty database on the real PostgreSQL server, returned with its URL and a dropper. */
export async function createPostgresDatabase(
  prefix = 'steward_t',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const created = await createPostgresDatabase();
  const database = await openDatabase<Database>(testDatabaseConfig('unused', created.url));
  return {
    ...database,
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

/**
 * A unique name for a demo shop's database on the test server (tests run in parallel, and the shop
 * would otherwise be the one default `steward_demo_shop`), with a dropper for it and its staging twin.
 */
export function aDemoShopDatabase(): { name: string; drop(): Promise<void> } {
  const name = `steward_demo_${randomBytes(5).toString('hex')}`;
  return {
    name,
    drop: () =>
      withAdmin(async (client) => {
        for (const database of [name, `${name}__seeding`])
          await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      }),
  };
}

/** `serverUrl` with its database replaced by `database` (same server, user and options). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Runs `work` on one connection to `url`, for a test's own reads of a system, and closes it. */
export async function withConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}
