import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

export const secretsMigrations: MigrationMap = {
  '202611291502_secrets_store': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('secrets')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('ciphertext', 'bytea', (c) => c.notNull())
        .addColumn('wrapped_key', 'bytea', (c) => c.notNull())
        .addColumn('master_key_version', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('secrets_pk', ['tenant_id', 'name'])
        .execute();
      // Rotation looks for rows still wrapped by an older master key.
      await db.schema
        .createIndex('secrets_master_key_version')
        .on('secrets')
        .column('master_key_version')
        .execute();
    },
  },
};
