import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const maskingMigrations: Record<string, Migration> = {
  '202612070800_masking_runs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('masking_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('source_system', 'text', (c) => c.notNull())
        .addColumn('target', 'jsonb', (c) => c.notNull())
        .addColumn('options', 'jsonb', (c) => c.notNull())
        .addColumn('key_fingerprint', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('queued', 'running', 'completed', 'failed', 'cancelled')`),
        )
        .addColumn('phase', 'text', (c) =>
          c.notNull().check(sql`phase in ('schema', 'data', 'constraints', 'verify', 'done')`),
        )
        .addColumn('schema_applied', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('constraints_applied', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('plan', 'jsonb')
        .addColumn('cardinality', 'jsonb')
        .addColumn('leak_check', 'jsonb')
        .addColumn('requested_by_kind', 'text', (c) => c.notNull())
        .addColumn('requested_by_id', 'text', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'timestamptz')
        .addColumn('cancel_requested_at', 'timestamptz')
        .addColumn('error', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index masking_runs_listing on masking_runs (tenant_id, created_at desc, id desc)`.execute(
        db,
      );
      await db.schema
        .createTable('masking_run_tables')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('run_id', 'text', (c) => c.notNull().references('masking_runs.id').onDelete('cascade'))
        .addColumn('table_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'copying', 'done')`))
        .addColumn('rows_copied', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('profiles', 'jsonb', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addPrimaryKeyConstraint('masking_run_tables_pk', ['run_id', 'table_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('masking_run_tables').execute();
      await db.schema.dropTable('masking_runs').execute();
    },
  },
};
