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
  // Issue 12 item 5: a master key rotation is proposed by one person and carried out by another.
  '202612081010_secrets_rotation_proposals': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('secrets_rotations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('to_version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('proposed', 'completed', 'superseded')`),
        )
        .addColumn('proposed_by_kind', 'text', (c) => c.notNull())
        .addColumn('proposed_by_id', 'text', (c) => c.notNull())
        .addColumn('proposed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('carried_out_by_kind', 'text')
        .addColumn('carried_out_by_id', 'text')
        .addColumn('carried_out_at', 'timestamptz')
        .addColumn('rewrapped', 'integer')
        .execute();
      // One proposal open at a time: the master key is the installation's, not a tenant's.
      await sql`create unique index secrets_rotations_open on secrets_rotations ((true)) where state = 'proposed'`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('secrets_rotations').execute();
    },
  },
};
