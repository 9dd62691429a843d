import { type Kysely, sql } from 'kysely';
import type { MigrationMap } from '../../../kernel/database/migration-map.ts';

export const eventsMigrations: MigrationMap = {
  '202611291500_events_outbox': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('event_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('position', 'bigserial', (c) => c.notNull().unique())
        .addColumn('stream_key', 'text', (c) => c.notNull())
        .addColumn('stream_sequence', 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('data', 'jsonb', (c) => c.notNull())
        .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('routed_at', 'timestamptz')
        .addUniqueConstraint('event_outbox_stream_unique', ['tenant_id', 'stream_key', 'stream_sequence'])
        .execute();
      await sql`create index event_outbox_unrouted on event_outbox (position) where routed_at is null`.execute(
        db,
      );

      await db.schema
        .createTable('event_streams')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('stream_key', 'text', (c) => c.notNull())
        .addColumn('last_sequence', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('event_streams_pk', ['tenant_id', 'stream_key'])
        .execute();

      await db.schema
        .createTable('event_webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('event_types', 'jsonb', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();

      await db.schema
        .createTable('event_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('event_id', 'text', (c) => c.notNull().references('event_outbox.id').onDelete('cascade'))
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('webhook_id', 'text', (c) => c.references('event_webhooks.id').onDelete('cascade'))
        .addColumn('stream_key', 'text', (c) => c.notNull())
        .addColumn('stream_sequence', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('pending', 'delivered', 'dead')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
        .addColumn('leased_until', 'timestamptz')
        .addColumn('give_up_at', 'timestamptz', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('event_deliveries_once', ['event_id', 'destination'])
        .execute();
      // The dispatcher's question: the oldest pending delivery of each (destination, stream).
      await sql`create index event_deliveries_pending on event_deliveries (destination, tenant_id, stream_key, stream_sequence) where status = 'pending'`.execute(
        db,
      );
      await sql`create index event_deliveries_dead on event_deliveries (tenant_id, created_at) where status = 'dead'`.execute(
        db,
      );
    },
  },
  '202611291619_events_webhook_secret_refs': {
    async up(db: Kysely<unknown>) {
      // Signing secrets move to the encrypted secret store; the column keeps a `secret:NAME`
      // reference. Values written before are sealed into the store by the dispatcher's first round
      // (sealPlaintextWebhookSecrets): sealing needs the master key, which SQL does not have.
      await db.schema.alterTable('event_webhooks').renameColumn('secret', 'secret_ref').execute();
    },
  },
  '202612071000_events_webhook_batches': {
    async up(db: Kysely<unknown>) {
      // A receiver may take several events of one subject per request (1 = one event per request).
      await db.schema
        .alterTable('event_webhooks')
        .addColumn('batch_max', 'integer', (c) =>
          c
            .notNull()
            .defaultTo(1)
            .check(sql`batch_max between 1 and 1000`),
        )
        .execute();
    },
  },
};
