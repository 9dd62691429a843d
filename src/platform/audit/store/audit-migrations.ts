// Named after core's 202611291500 (not the wall clock, which is earlier): tenants must exist first.
import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

export const auditMigrations: MigrationMap = {
  '202611291501_audit_log': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_pending')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('subject_ref', 'text')
        .addColumn('source_address', 'text')
        .execute();

      await db.schema
        .createTable('audit_entries')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('idx', 'bigint', (c) => c.notNull().check(sql`idx >= 0`))
        .addColumn('entry', 'text', (c) => c.notNull())
        .addColumn('leaf_hash', 'bytea', (c) => c.notNull().check(sql`length(leaf_hash) = 32`))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_entries_pk', ['tenant_id', 'idx'])
        .execute();

      await db.schema
        .createTable('audit_entry_details')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('idx', 'bigint', (c) => c.notNull())
        .addColumn('salt', 'bytea', (c) => c.notNull())
        .addColumn('subject_ref', 'text')
        .addColumn('source_address', 'text')
        .addPrimaryKeyConstraint('audit_entry_details_pk', ['tenant_id', 'idx'])
        .addForeignKeyConstraint('audit_entry_details_entry_fk', ['tenant_id', 'idx'], 'audit_entries', [
          'tenant_id',
          'idx',
        ])
        .execute();

      await db.schema
        .createTable('audit_tree_nodes')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('level', 'smallint', (c) => c.notNull().check(sql`level between 1 and 63`))
        .addColumn('position', 'bigint', (c) => c.notNull().check(sql`position >= 0`))
        .addColumn('hash', 'bytea', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_tree_nodes_pk', ['tenant_id', 'level', 'position'])
        .execute();

      await db.schema
        .createTable('audit_tree_state')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
        .addColumn('tree_size', 'bigint', (c) => c.notNull())
        .addColumn('frontier', 'bytea', (c) => c.notNull())
        .addColumn('root_hash', 'bytea', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();

      await db.schema
        .createTable('audit_checkpoints')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('tree_size', 'bigint', (c) => c.notNull())
        .addColumn('root_hash', 'bytea', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('audit_checkpoints_pk', ['tenant_id', 'tree_size'])
        .execute();
    },
  },
  // Commitments are made when an event is recorded, so the integrator does not re-serialise entries.
  '202611291530_audit_pending_commitment': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('audit_pending')
        .addColumn('salt', 'bytea')
        .addColumn('action', 'text')
        .addColumn('recorded_at', 'timestamptz')
        .execute();
    },
  },
  // An event whose subject was forgotten before the integrator reached it keeps its pseudonym but gets no side record.
  '202612071300_audit_pending_forget_details': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('audit_pending')
        .addColumn('forget_details', 'boolean', (c) => c.notNull().defaultTo(false))
        .execute();
    },
  },
  // Integrity findings per tenant and check, read by /readyz; and the row hash that anchors a record
  // of another table in a leaf (issue 12): to_jsonb's text under UTC, so the session's time zone
  // cannot change it.
  '202612071320_audit_integrity_and_anchors': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_integrity')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('problem', 'text', (c) => c.notNull())
        .addColumn('detected_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('checked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('audit_integrity_pk', ['tenant_id', 'check_name'])
        .execute();
      await sql`
        create function audit_row_sha256(r anyelement) returns text
        language plpgsql stable set "TimeZone" to 'UTC' as $$
        begin
          return encode(sha256(convert_to(to_jsonb(r)::text, 'UTF8')), 'hex');
        end $$`.execute(db);
    },
  },
};
