import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt } from '../../../kernel/database/core-tables.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/**
 * The transactional outbox: every event any domain publishes, written in the same transaction as
 * the change it reports (`publishEvent`). Rows are immutable once written except `routed_at`.
 */
export interface EventOutboxTable {
  /** The CloudEvents id: stable across redeliveries so receivers can de-duplicate. */
  id: string;
  tenant_id: string;
  /** Global insertion order; the router fans events out in this order. */
  position: Generated<number>;
  /** Events sharing a stream key are delivered in `stream_sequence` order to each destination. */
  stream_key: string;
  stream_sequence: number;
  type: string;
  /** The producing domain (`consent`, `dsr`, …). */
  source: string;
  /** The data subject the event concerns, if any (personal data: never logged). */
  subject: string | null;
  /** NATS subject suffix: the event goes to `steward.<topic>`. */
  topic: string;
  data: JSONColumnType<Record<string, unknown>>;
  occurred_at: Timestamp;
  created_at: CreatedAt;
  /** Set once delivery rows exist for every destination registered at that time. */
  routed_at: NullableTimestamp;
}

/** Per stream key, the last sequence handed out; its row lock serialises publishers of one key. */
export interface EventStreamsTable {
  tenant_id: string;
  stream_key: string;
  last_sequence: number;
}

export interface EventWebhooksTable {
  id: string;
  tenant_id: string;
  url: string;
  description: string;
  /** Event type patterns (`consent.*`, `dsr.request.created`, `*`). */
  event_types: JSONColumnType<string[]>;
  /** `secret:NAME`: the HMAC-SHA256 signing key shared with the receiver, sealed in the secret store. */
  secret_ref: string;
  active: boolean;
  /** Most events of one subject per request; above 1 the receiver takes CloudEvents batches. */
  batch_max: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One event to one destination (`webhook:<id>` or `nats`), with its retry state. */
export interface EventDeliveriesTable {
  id: string;
  tenant_id: string;
  event_id: string;
  destination: string;
  webhook_id: string | null;
  stream_key: string;
  stream_sequence: number;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  /** A worker that claimed the delivery holds it until then; a crashed worker's lease runs out. */
  leased_until: NullableTimestamp;
  /** After this, a still failing delivery goes to the dead-letter list. */
  give_up_at: Timestamp;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface EventsTables {
  event_outbox: EventOutboxTable;
  event_streams: EventStreamsTable;
  event_webhooks: EventWebhooksTable;
  event_deliveries: EventDeliveriesTable;
}
