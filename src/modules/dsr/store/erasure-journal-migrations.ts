import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

export const erasureJournalMigrations: MigrationMap = {
  '202611291530_dsr_erasure_journal': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dsr_erasure_journal')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('request_id', 'text')
        .addColumn('erased_at', 'timestamptz', (c) => c.notNull())
        .addColumn('identity_hashes', 'jsonb', (c) => c.notNull())
        .addColumn('scope', 'jsonb', (c) => c.notNull())
        .addColumn('summary', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // Replays read a tenant's entries from a date on.
      await db.schema
        .createIndex('dsr_erasure_journal_tenant_erased')
        .on('dsr_erasure_journal')
        .columns(['tenant_id', 'erased_at'])
        .execute();
    },
  },
};
