import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import {
  adversarialShopSql,
  adversarialShopSystem,
  type ShopKind,
} from '../../../../test/fixtures/masking/adversarial-shop.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../../../../test/support/test-database.ts';
import { coreMigrations } from '../../../kernel/database/core-migrations.ts';
import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import { migrateToLatest } from '../../../kernel/database/migrate.ts';
import { openDatabase } from '../../../kernel/database/open-database.ts';
import { maskingMigrations } from '../store/masking-migrations.ts';
import type { MaskingTables } from '../store/masking-tables.ts';
import {
  createSourceSystem,
  MARIADB_ADMIN_URL,
  type TestSourceSystem,
} from '../../../../test/support/test-source-systems.ts';
import type { DataMapSystem } from '../../../platform/datamap/datamap-types.ts';
import { resolveSecretReference } from '../../../platform/secrets/secret-reference.ts';
import type { MaskingDeps } from '../use-cases/masking-deps.ts';
import { redactFreeText } from '../use-cases/free-text-redactor.ts';

/** A masking key as a Steward secret would hold it; tests pass it through an env: reference. */
export const MASKING_KEY_REFERENCE = 'env:STEWARD_TEST_MASKING_KEY';
export const OTHER_KEY_REFERENCE = 'env:STEWARD_TEST_OTHER_MASKING_KEY';
process.env.STEWARD_TEST_MASKING_KEY = 'test-masking-key-0123456789abcdef';
process.env.STEWARD_TEST_OTHER_MASKING_KEY = 'another-masking-key-fedcba9876543';

/** Every table of the adversarial shop, in name order (what a whole copy holds). */
export const SHOP_TABLES = [
  'addresses',
  'customers',
  'events',
  'newsletter',
  'newsletter_clicks',
  'order_items',
  'orders',
  'payments',
  'products',
];
/** Who asks for the tests' masking runs. */
export const MASKING_TEST_ACTOR = { kind: 'system', id: 'masking-test' };

export interface ShopSource {
  source: TestSourceSystem;
  system: DataMapSystem;
}

/** The adversarial shop in a fresh database of the kind, with its data map system (URL as an env: reference). */
export async function anAdversarialShop(kind: ShopKind, customers: number): Promise<ShopSource> {
  const source = await createSourceSystem(kind, 'shop');
  await source.exec(adversarialShopSql(kind, customers));
  const variable = `STEWARD_TEST_SHOP_${randomBytes(4).toString('hex').toUpperCase()}`;
  process.env[variable] = source.url!;
  return { source, system: adversarialShopSystem(kind, `env:${variable}`) };
}

export interface EmptyTarget {
  url: string;
  query<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

/** An empty database of the kind for the copy, with a query function for assertions. */
export async function anEmptyTarget(kind: ShopKind): Promise<EmptyTarget> {
  if (kind === 'postgres') {
    const created = await createPostgresDatabase('steward_mask');
    const pool = new pg.Pool({ connectionString: created.url, max: 1 });
    pool.on('error', () => {});
    return {
      url: created.url,
      query: async (sql) => (await pool.query(sql)).rows,
      async drop() {
        await pool.end();
        await created.drop();
      },
    };
  }
  const name = `steward_mask_${randomBytes(6).toString('hex')}`;
  const root = await mysql.createConnection({ uri: MARIADB_ADMIN_URL });
  await root.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await root.query(`USE ${name}`);
  return {
    url: `${MARIADB_ADMIN_URL}/${name}`,
    query: async <T>(sql: string) => (await root.query(sql))[0] as T[],
    async drop() {
      await root.query(`DROP DATABASE IF EXISTS ${name}`);
      await root.end();
    },
  };
}

/**
 * Steward's own database for a masking test: a fresh one on the test server with the kernel's
 * tables and the masking module's (nothing else: the module touches nothing else), and the deps
 * a masking use case gets.
 */
export async function maskingTestDeps(
  system: DataMapSystem,
): Promise<{ deps: MaskingDeps; stewardUrl: string; close(): Promise<void> }> {
  const created = await createPostgresDatabase('steward_t');
  const database = await openDatabase<MaskingTables & CoreTables>(testDatabaseConfig('unused', created.url));
  await migrateToLatest(database.db, [coreMigrations, maskingMigrations]);
  return {
    deps: {
      db: database.db,
      system: () => system,
      resolveSecret: async (reference) => resolveSecretReference(reference),
      redactText: redactFreeText,
    },
    stewardUrl: created.url,
    async close() {
      await database.close();
      await created.drop();
    },
  };
}

/** Every row of every table of a database, ordered, as text: two copies are equal exactly when this is. */
export async function tableContents(
  target: EmptyTarget,
  kind: ShopKind,
  tables: readonly string[],
): Promise<Record<string, string>> {
  const contents: Record<string, string> = {};
  for (const table of tables) {
    const rows =
      kind === 'postgres'
        ? await target.query<{ row: string }>(`select t::text as row from "${table}" t order by 1`)
        : await target.query<Record<string, unknown>>(`select * from \`${table}\``);
    contents[table] = rows
      .map((row) => JSON.stringify(row))
      .sort()
      .join('\n');
  }
  return contents;
}
