import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The web module's tables; the migration registry merges them with every other domain's. */
export const webMigrations: Record<string, Migration> = {
  '202612010900_web_subject_challenges': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('web_subject_challenges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('subject_hash', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('salt', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // Codes mailed to one address in the last hour are counted on every new one (mail flooding).
      await sql`create index web_subject_challenges_subject on web_subject_challenges (tenant_id, subject_hash, created_at)`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('web_subject_challenges').execute();
    },
  },
};
