import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

export const retentionMigrations: MigrationMap = {
  '202611291522_retention_runs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('retention_flow_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('flow_id', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('scheduled_for', 'timestamptz')
        .addColumn('dry_run', 'boolean', (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('queued', 'running', 'completed', 'failed', 'cancelled')`),
        )
        .addColumn('tasks', 'jsonb', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'timestamptz')
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addColumn('error', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // A scheduled fire time runs once, however many workers tick at that minute.
      await sql`create unique index retention_flow_runs_fire on retention_flow_runs (tenant_id, flow_id, scheduled_for) where scheduled_for is not null`.execute(
        db,
      );
      await sql`create index retention_flow_runs_listing on retention_flow_runs (tenant_id, created_at desc)`.execute(
        db,
      );

      await db.schema
        .createTable('retention_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('flow_run_id', 'text', (c) => c.references('retention_flow_runs.id').onDelete('set null'))
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('requested_by_kind', 'text', (c) => c.notNull())
        .addColumn('requested_by_id', 'text', (c) => c.notNull())
        .addColumn('dry_run', 'boolean', (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('queued', 'running', 'completed', 'failed', 'cancelled')`),
        )
        .addColumn('targets', 'jsonb', (c) => c.notNull())
        .addColumn('settings', 'jsonb', (c) => c.notNull())
        .addColumn('reference_time', 'timestamptz', (c) => c.notNull())
        .addColumn('rows_estimated', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('rows_done', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'timestamptz')
        .addColumn('cancel_requested_at', 'timestamptz')
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addColumn('error', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index retention_runs_listing on retention_runs (tenant_id, created_at desc, id desc)`.execute(
        db,
      );
      await sql`create index retention_runs_active on retention_runs (lease_until) where state in ('queued', 'running')`.execute(
        db,
      );

      await db.schema
        .createTable('retention_run_collections')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('run_id', 'text', (c) => c.notNull().references('retention_runs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('system', 'text', (c) => c.notNull())
        .addColumn('collection', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('pending', 'running', 'done', 'failed', 'skipped')`),
        )
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('cutoff', 'timestamptz', (c) => c.notNull())
        .addColumn('cursor', 'jsonb')
        .addColumn('pending_batch', 'jsonb')
        .addColumn('report', 'jsonb', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addPrimaryKeyConstraint('retention_run_collections_pk', ['run_id', 'system', 'collection'])
        .execute();

      await db.schema
        .createTable('retention_schedules')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('flow_id', 'text', (c) => c.notNull())
        .addColumn('trigger_key', 'text', (c) => c.notNull())
        .addColumn('last_fired_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('retention_schedules_pk', ['tenant_id', 'flow_id', 'trigger_key'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('retention_schedules').execute();
      await db.schema.dropTable('retention_run_collections').execute();
      await db.schema.dropTable('retention_runs').execute();
      await db.schema.dropTable('retention_flow_runs').execute();
    },
  },
  // Issue 12 item 5: a large real run waits for a second person (auth.separationOfDuties).
  '202612081000_retention_four_eyes': {
    async up(db: Kysely<unknown>) {
      await sql`alter table retention_runs
        drop constraint retention_runs_state_check,
        add constraint retention_runs_state_check check (state in ('awaiting_approval', 'queued', 'running', 'completed', 'failed', 'cancelled', 'rejected')),
        add column approval jsonb`.execute(db);
      // The flow run waits with its sweep; who asked for it is the requester its sweep is approved against.
      await sql`alter table retention_flow_runs
        drop constraint retention_flow_runs_state_check,
        add constraint retention_flow_runs_state_check check (state in ('awaiting_approval', 'queued', 'running', 'completed', 'failed', 'cancelled')),
        add column requested_by_kind text,
        add column requested_by_id text`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`alter table retention_flow_runs
        drop column requested_by_kind, drop column requested_by_id,
        drop constraint retention_flow_runs_state_check,
        add constraint retention_flow_runs_state_check check (state in ('queued', 'running', 'completed', 'failed', 'cancelled'))`.execute(
        db,
      );
      await sql`alter table retention_runs
        drop column approval,
        drop constraint retention_runs_state_check,
        add constraint retention_runs_state_check check (state in ('queued', 'running', 'completed', 'failed', 'cancelled'))`.execute(
        db,
      );
    },
  },
};
