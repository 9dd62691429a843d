import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

export const consentMigrations: MigrationMap = {
  '202611291530_consent_ledger': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('consent_notices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('consent_notices_key', ['tenant_id', 'key'])
        .execute();
      await db.schema
        .createIndex('consent_notices_purpose')
        .on('consent_notices')
        .columns(['tenant_id', 'purpose'])
        .execute();

      await db.schema
        .createTable('consent_notice_versions')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('notice_id', 'text', (c) => c.notNull().references('consent_notices.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('mechanism', 'text', (c) =>
          c.notNull().check(sql`mechanism in ('opt_in', 'opt_out', 'notice_only')`),
        )
        .addColumn('regions', 'jsonb', (c) => c.notNull())
        .addColumn('validity_months', 'integer')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('consent_notice_versions_pk', ['notice_id', 'version'])
        .execute();

      await db.schema
        .createTable('consent_ledger')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('position', 'bigserial', (c) => c.notNull().unique())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) =>
          c.notNull().check(sql`action in ('given', 'withdrawn', 'expired', 'renewed')`),
        )
        .addColumn('notice_id', 'text', (c) => c.references('consent_notices.id'))
        .addColumn('notice_version', 'integer')
        .addColumn('legal_basis', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text')
        .addColumn('proof', 'jsonb')
        .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz')
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('actor_kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('consent_ledger_subject')
        .on('consent_ledger')
        .columns(['tenant_id', 'subject', 'position'])
        .execute();

      // GDPR Art. 7(1): consent must stay demonstrable, so the ledger refuses any rewrite of history,
      // whoever connects (the application, a migration, an operator at a psql prompt).
      await sql`
        create function consent_ledger_refuse_change() returns trigger language plpgsql as $$
        begin
          raise exception 'consent ledger is append-only: % refused', tg_op using errcode = 'P0001';
        end $$`.execute(db);
      await sql`create trigger consent_ledger_append_only before update or delete on consent_ledger for each row execute function consent_ledger_refuse_change()`.execute(
        db,
      );
      await sql`create trigger consent_ledger_no_truncate before truncate on consent_ledger for each statement execute function consent_ledger_refuse_change()`.execute(
        db,
      );

      await db.schema
        .createTable('consent_state')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('given', 'withdrawn', 'expired')`),
        )
        .addColumn('ledger_id', 'text', (c) => c.notNull().references('consent_ledger.id'))
        .addColumn('notice_id', 'text')
        .addColumn('notice_key', 'text')
        .addColumn('notice_version', 'integer')
        .addColumn('legal_basis', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz')
        .addColumn('reminded_at', 'timestamptz')
        .addPrimaryKeyConstraint('consent_state_pk', ['tenant_id', 'subject', 'purpose'])
        .execute();
      await sql`create index consent_state_expiring on consent_state (expires_at) where status = 'given'`.execute(
        db,
      );

      await db.schema
        .createTable('consent_tcf_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('position', 'bigserial', (c) => c.notNull().unique())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('tc_string', 'text', (c) => c.notNull())
        .addColumn('cmp_id', 'integer', (c) => c.notNull())
        .addColumn('cmp_version', 'integer', (c) => c.notNull())
        .addColumn('policy_version', 'integer', (c) => c.notNull())
        .addColumn('vendor_list_version', 'integer', (c) => c.notNull())
        .addColumn('consent_language', 'text', (c) => c.notNull())
        .addColumn('publisher_country_code', 'text', (c) => c.notNull())
        .addColumn('purpose_consents', 'jsonb', (c) => c.notNull())
        .addColumn('purpose_legitimate_interests', 'jsonb', (c) => c.notNull())
        .addColumn('vendor_consents', 'jsonb', (c) => c.notNull())
        .addColumn('vendor_legitimate_interests', 'jsonb', (c) => c.notNull())
        .addColumn('special_feature_optins', 'jsonb', (c) => c.notNull())
        .addColumn('string_created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('string_updated_at', 'timestamptz', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('proof', 'jsonb')
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createIndex('consent_tcf_subject')
        .on('consent_tcf_records')
        .columns(['tenant_id', 'subject', 'position'])
        .execute();
      await sql`create trigger consent_tcf_append_only before update or delete on consent_tcf_records for each row execute function consent_ledger_refuse_change()`.execute(
        db,
      );

      await db.schema
        .createTable('consent_proof_keys')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  '202611291643_consent_withdrawal_erasures': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('consent_withdrawal_erasures')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('ledger_id', 'text', (c) => c.notNull().references('consent_ledger.id'))
        .addColumn('request_id', 'text')
        .addColumn('reason', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('consent_withdrawal_erasures_pk', ['tenant_id', 'ledger_id'])
        .execute();
    },
  },
};
