import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

export const discoveryMigrations: MigrationMap = {
  '202612071200_discovery_runs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('discovery_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('system', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('cli', 'api', 'schedule')`))
        .addColumn('sample_size', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('summary', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // The previous run of a system, for run-to-run comparison, and listings newest first.
      await sql`create index discovery_runs_system on discovery_runs (tenant_id, system, started_at desc)`.execute(
        db,
      );

      await db.schema
        .createTable('discovery_columns')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('run_id', 'text', (c) => c.notNull().references('discovery_runs.id').onDelete('cascade'))
        .addColumn('collection', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('categories', 'jsonb', (c) => c.notNull())
        .addColumn('confidence', 'real', (c) => c.notNull())
        .addColumn('evidence', 'jsonb', (c) => c.notNull())
        .addColumn('sampled', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('discovery_columns_pk', ['run_id', 'collection', 'field'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('discovery_columns').execute();
      await db.schema.dropTable('discovery_runs').execute();
    },
  },
};
