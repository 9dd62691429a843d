import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from './migration-map.ts';

export const coreMigrations: MigrationMap = {
  '202611291500_core_tenants': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^[a-z0-9][a-z0-9-]{0,62}$'`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // The columns as they are at this migration, not as the application's types may later describe them.
      await db
        .withTables<{ tenants: { id: string; name: string } }>()
        .insertInto('tenants')
        .values({ id: 'default', name: 'Default tenant' })
        .execute();
    },
  },
};
