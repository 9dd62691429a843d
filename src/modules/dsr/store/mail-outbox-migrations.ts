import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

export const mailOutboxMigrations: MigrationMap = {
  '202612071300_dsr_mail_outbox': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dsr_mail_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('request_id', 'text')
        .addColumn('sealed_mail', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // Read newest first per tenant; purged by age.
      await db.schema
        .createIndex('dsr_mail_outbox_tenant_created')
        .on('dsr_mail_outbox')
        .columns(['tenant_id', 'created_at'])
        .execute();
    },
  },
};
