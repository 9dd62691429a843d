import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

const STATES = `'received','verifying','verified','awaiting_approval','in_progress','completed','partially_completed','denied','failed','cancelled'`;
const TYPES = `'access','portability','erasure','rectification','restriction','objection'`;

export const dsrMigrations: MigrationMap = {
  '202611291500_dsr_requests': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dsr_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('type', 'text', (c) => c.notNull().check(sql.raw(`type in (${TYPES})`)))
        .addColumn('regime', 'text', (c) => c.notNull().check(sql`regime in ('gdpr', 'ccpa')`))
        .addColumn('regime_type', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql.raw(`state in (${STATES})`)))
        .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('privacy_center', 'agent')`))
        .addColumn('scope', 'jsonb')
        .addColumn('contact_ciphertext', 'text')
        .addColumn('contact_hash', 'text', (c) => c.notNull())
        .addColumn('corrections_ciphertext', 'text')
        .addColumn('verified_by', 'text')
        .addColumn('approval_required', 'boolean', (c) => c.notNull())
        .addColumn('duplicate_of', 'text', (c) => c.references('dsr_requests.id'))
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .addColumn('confirmation_due_at', 'timestamptz')
        .addColumn('acknowledged_at', 'timestamptz')
        .addColumn('due_at', 'timestamptz', (c) => c.notNull())
        .addColumn('original_due_at', 'timestamptz', (c) => c.notNull())
        .addColumn('extension_amount', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('extension_reason', 'text')
        .addColumn('closed_at', 'timestamptz')
        .addColumn('outcome_reason', 'text')
        .addColumn('result', 'jsonb')
        .addColumn('personal_data_minimised_at', 'timestamptz')
        .addColumn('purged_at', 'timestamptz')
        .addColumn('created_by_kind', 'text', (c) => c.notNull())
        .addColumn('created_by_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index dsr_requests_listing on dsr_requests (tenant_id, received_at desc, id desc)`.execute(
        db,
      );
      // The watchdog's and the overdue filter's question: open requests by deadline.
      await sql`create index dsr_requests_open on dsr_requests (tenant_id, due_at) where closed_at is null`.execute(
        db,
      );

      await db.schema
        .createTable('dsr_request_identities')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('request_id', 'text', (c) => c.notNull().references('dsr_requests.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value_hash', 'text', (c) => c.notNull())
        .addColumn('value_ciphertext', 'text')
        .addPrimaryKeyConstraint('dsr_request_identities_pk', ['request_id', 'name'])
        .execute();
      await sql`create index dsr_request_identities_hash on dsr_request_identities (tenant_id, value_hash)`.execute(
        db,
      );

      await db.schema
        .createTable('dsr_request_history')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('request_id', 'text', (c) => c.notNull().references('dsr_requests.id').onDelete('cascade'))
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('actor_kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
        .execute();
      await sql`create index dsr_request_history_request on dsr_request_history (request_id, id)`.execute(db);

      await db.schema
        .createTable('dsr_verification_codes')
        .addColumn('request_id', 'text', (c) =>
          c.primaryKey().references('dsr_requests.id').onDelete('cascade'),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('code_hash', 'text')
        .addColumn('salt', 'text')
        .addColumn('expires_at', 'timestamptz')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('codes_issued', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_issued_at', 'timestamptz')
        .addColumn('verified_at', 'timestamptz')
        .execute();

      await db.schema
        .createTable('dsr_request_steps')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('request_id', 'text', (c) => c.notNull().references('dsr_requests.id').onDelete('cascade'))
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('system', 'text')
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('pending', 'running', 'succeeded', 'failed', 'skipped')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addColumn('error', 'text')
        .addColumn('result', 'jsonb')
        .addPrimaryKeyConstraint('dsr_request_steps_pk', ['request_id', 'step'])
        .execute();

      await db.schema
        .createTable('dsr_packages')
        .addColumn('request_id', 'text', (c) =>
          c.primaryKey().references('dsr_requests.id').onDelete('cascade'),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('collections', 'integer', (c) => c.notNull())
        .addColumn('rows', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('deleted_at', 'timestamptz')
        .execute();
      await sql`create index dsr_packages_expiry on dsr_packages (expires_at) where deleted_at is null`.execute(
        db,
      );

      await db.schema
        .createTable('dsr_download_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('request_id', 'text', (c) => c.notNull().references('dsr_requests.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_by_kind', 'text', (c) => c.notNull())
        .addColumn('created_by_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_downloaded_at', 'timestamptz')
        .execute();
    },
  },
  '202611291607_dsr_step_heartbeat': {
    // A running step's worker renews heartbeat_at while it works; a step whose heartbeat lapsed
    // belongs to a dead worker and may be taken over (see step-lease.ts).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('dsr_request_steps').addColumn('heartbeat_at', 'timestamptz').execute();
    },
  },
  '202612071310_dsr_download_link_revocation': {
    // One live link per package: a new link revokes the ones before it (issue 12).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('dsr_download_links').addColumn('revoked_at', 'timestamptz').execute();
    },
  },
};
