import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from './migration-registry.ts';

export const coreMigrations: MigrationMap = {
  '202611291500_core_tenants': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^[a-z0-9][a-z0-9-]{0,62}$'`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.insertInto('tenants').values({ id: 'default', name: 'Default tenant' }).execute();
    },
  },
};
