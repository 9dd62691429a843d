import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The governance registers. Every table is scoped by tenant_id. */
export const governanceMigrations: Record<string, Migration> = {
  '202612070800_governance_registers': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('governance_ropa_fields')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('lines', 'jsonb', (c) => c.notNull())
        .addColumn('written_by', 'text', (c) => c.notNull())
        .addColumn('written_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('governance_ropa_fields_pk', ['tenant_id', 'entry_id', 'field'])
        .execute();

      await db.schema
        .createTable('governance_ropa_generations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('generated_at', 'timestamptz', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('record', 'jsonb', (c) => c.notNull())
        .execute();
      await sql`create index governance_ropa_generations_listing on governance_ropa_generations (tenant_id, generated_at desc)`.execute(
        db,
      );

      await db.schema
        .createTable('governance_processors')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('processor', 'controller')`))
        .addColumn('contact', 'text')
        .addColumn('countries', 'jsonb', (c) => c.notNull())
        .addColumn('categories', 'jsonb', (c) => c.notNull())
        .addColumn('systems', 'jsonb', (c) => c.notNull())
        .addColumn('dpa', 'jsonb')
        .addColumn('sub_processors', 'jsonb', (c) => c.notNull())
        .addColumn('dpf_certified', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('mechanism', 'jsonb')
        .addColumn('tia', 'jsonb')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('governance_processors_pk', ['tenant_id', 'id'])
        .execute();
      // The data map links recipients by name, compared case-insensitively: one entry per name.
      await sql`create unique index governance_processors_name on governance_processors (tenant_id, lower(name))`.execute(
        db,
      );

      await db.schema
        .createTable('governance_screenings')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('activity_id', 'text', (c) => c.notNull())
        .addColumn('answers', 'jsonb', (c) => c.notNull())
        .addColumn('met_criteria', 'jsonb', (c) => c.notNull())
        .addColumn('screened_by', 'text', (c) => c.notNull())
        .addColumn('screened_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('governance_screenings_pk', ['tenant_id', 'activity_id'])
        .execute();

      await db.schema
        .createTable('governance_dpias')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('activity_id', 'text', (c) => c.notNull())
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('governance_dpias_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema
        .createTable('governance_dpia_versions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('dpia_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content', 'jsonb', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('governance_dpia_versions_pk', ['tenant_id', 'dpia_id', 'version'])
        .addForeignKeyConstraint(
          'governance_dpia_versions_dpia',
          ['tenant_id', 'dpia_id'],
          'governance_dpias',
          ['tenant_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();

      await db.schema
        .createTable('governance_breaches')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'closed')`))
        .addColumn('aware_at', 'timestamptz', (c) => c.notNull())
        .addColumn('details', 'jsonb', (c) => c.notNull())
        .addColumn('closed_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('governance_breaches_pk', ['tenant_id', 'id'])
        .execute();
      await sql`create index governance_breaches_open on governance_breaches (aware_at) where state = 'open'`.execute(
        db,
      );

      await db.schema
        .createTable('governance_breach_events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('breach_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('actor', 'text')
        .addPrimaryKeyConstraint('governance_breach_events_pk', ['tenant_id', 'breach_id', 'seq'])
        .addForeignKeyConstraint(
          'governance_breach_events_breach',
          ['tenant_id', 'breach_id'],
          'governance_breaches',
          ['tenant_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createTable('governance_breach_notifications')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('breach_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('audience', 'text', (c) =>
          c.notNull().check(sql`audience in ('authority', 'subjects', 'public')`),
        )
        .addColumn('phase', 'text', (c) => c.notNull().check(sql`phase in ('initial', 'follow_up', 'final')`))
        .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
        .addColumn('reference', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('governance_breach_notifications_pk', ['tenant_id', 'breach_id', 'seq'])
        .addForeignKeyConstraint(
          'governance_breach_notifications_breach',
          ['tenant_id', 'breach_id'],
          'governance_breaches',
          ['tenant_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createTable('governance_breach_reminders')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('breach_id', 'text', (c) => c.notNull())
        .addColumn('hours_left', 'integer', (c) => c.notNull())
        .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('governance_breach_reminders_pk', ['tenant_id', 'breach_id', 'hours_left'])
        .addForeignKeyConstraint(
          'governance_breach_reminders_breach',
          ['tenant_id', 'breach_id'],
          'governance_breaches',
          ['tenant_id', 'id'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'governance_breach_reminders',
        'governance_breach_notifications',
        'governance_breach_events',
        'governance_breaches',
        'governance_dpia_versions',
        'governance_dpias',
        'governance_screenings',
        'governance_processors',
        'governance_ropa_generations',
        'governance_ropa_fields',
      ])
        await db.schema.dropTable(table).execute();
    },
  },
};
