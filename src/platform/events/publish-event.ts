import { randomUUID } from 'node:crypto';
import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { EventsTables } from './store/events-tables.ts';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/** What a domain says happened. Plain data; it becomes a CloudEvents 1.0 event on delivery. */
export interface EventInput {
  tenantId: string;
  /** Dotted type, `<domain>.<what>`: `consent.withdrawn`, `dsr.request.created`. */
  type: string;
  /** The producing domain: `consent`, `dsr`, `retention`. */
  source: string;
  /** NATS subject suffix (the event is published to `steward.<topic>`), e.g. `consent.marketing`. */
  topic: string;
  /** Non-personal facts plus the subject identifier downstream systems need to act on. */
  data: Record<string, unknown>;
  /** The data subject the event concerns. Events about one subject reach each receiver in order. */
  subject?: string;
  /** Overrides the ordering stream (default: the subject, else the source). */
  orderingKey?: string;
  /** A stable id, when the change already has one (a ledger entry id); otherwise a new UUID. */
  id?: string;
  time?: Date;
}

export interface PublishedEvent {
  id: string;
  streamKey: string;
  streamSequence: number;
}

/** The channel `publishEvent` notifies on commit, so dispatchers wake at once instead of polling. */
export const EVENTS_CHANNEL = 'steward_events';

const TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_*]+)+$/;
const TOPIC = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * The one way to publish an event: writes it to the outbox in the caller's transaction, so the
 * event exists exactly when the change it reports commits (and never otherwise). Delivery to
 * webhooks and NATS happens later, at least once, in order per subject (`deliverPendingEvents`).
 * Pass the transaction (`trx`) that makes the change; a plain Kysely gets its own transaction.
 */
export async function publishEvent(trx: DbHandle<EventsTables>, event: EventInput): Promise<PublishedEvent> {
  assertPublishable(event);
  if (!trx.isTransaction) return trx.transaction().execute((inner) => publishEvent(inner, event));

  const streamKey = streamKeyOf(event);
  // The upsert's row lock serialises publishers of one stream until they commit, so sequence order
  // is commit order: a later event of a subject can never become visible before an earlier one.
  // One statement (one round trip): the counter, the outbox row and the dispatchers' wake-up call.
  const id = event.id ?? randomUUID();
  const { rows } = await sql<{ stream_sequence: number }>`
    with stream as (
      insert into event_streams (tenant_id, stream_key, last_sequence) values (${event.tenantId}, ${streamKey}, 1)
      on conflict (tenant_id, stream_key) do update set last_sequence = event_streams.last_sequence + 1
      returning last_sequence
    ), stored as (
      insert into event_outbox (id, tenant_id, stream_key, stream_sequence, type, source, subject, topic, data, occurred_at)
      select ${id}, ${event.tenantId}, ${streamKey}, last_sequence, ${event.type}, ${event.source},
        ${event.subject ?? null}, ${event.topic}, ${JSON.stringify(event.data)}::jsonb, ${event.time ?? new Date()}
      from stream
      returning stream_sequence
    )
    select stream_sequence, pg_notify(${EVENTS_CHANNEL}, ${event.tenantId}) from stored`.execute(trx);
  const streamSequence = rows[0]!.stream_sequence;
  return { id, streamKey, streamSequence };
}

/** A malformed type or topic is a programming error, refused before anything is written. */
export function assertPublishable(event: Pick<EventInput, 'type' | 'topic'>): void {
  if (!TYPE.test(event.type)) {
    throw new InvalidInput(
      'events.invalid_type',
      `Event type "${event.type}" must be dotted lower case, like consent.withdrawn.`,
      { type: event.type },
    );
  }
  if (!TOPIC.test(event.topic)) {
    throw new InvalidInput(
      'events.invalid_topic',
      `Event topic "${event.topic}" must be dot-separated tokens of letters, digits, _ or -.`,
      { topic: event.topic },
    );
  }
}

/** The stream an event is ordered in: its ordering key, else its subject, else its source. */
export function streamKeyOf(event: EventInput): string {
  return (
    event.orderingKey ?? (event.subject !== undefined ? `subject:${event.subject}` : `source:${event.source}`)
  );
}

/**
 * The set-based twin of `publishEvent`, for bulk changes (a consent import): publishes every row
 * `rows` selects, in the caller's transaction, in one statement. `rows` must yield the columns
 * `id, stream_key, type, source, subject, topic, data (jsonb), occurred_at, ord`: `ord` orders
 * the events of a stream, which get the next sequence numbers of that stream as `publishEvent`
 * would give them one by one. The caller guarantees types and topics are well-formed (they come
 * from its own fixed shapes, not from input). Returns how many events were published.
 */
export async function publishEventsFrom(
  trx: Transaction<EventsTables>,
  tenantId: string,
  rows: RawBuilder<unknown>,
): Promise<number> {
  const result = await sql`
    with source as (${rows}),
    numbered as (
      select s.*,
        row_number() over (partition by s.stream_key order by s.ord) as k,
        count(*) over (partition by s.stream_key) as n
      from source s
    ),
    streams as (
      insert into event_streams (tenant_id, stream_key, last_sequence)
      select ${tenantId}, stream_key, max(n) from numbered group by stream_key
      -- in key order: the primary key is then filled stretch by stretch, not page by random page
      order by stream_key
      on conflict (tenant_id, stream_key)
        do update set last_sequence = event_streams.last_sequence + excluded.last_sequence
      returning stream_key, last_sequence
    )
    insert into event_outbox (id, tenant_id, stream_key, stream_sequence, type, source, subject, topic, data, occurred_at)
    select e.id, ${tenantId}, e.stream_key, st.last_sequence - e.n + e.k, e.type, e.source, e.subject, e.topic, e.data, e.occurred_at
    from numbered e join streams st on st.stream_key = e.stream_key
    order by e.ord`.execute(trx);
  const published = Number(result.numAffectedRows ?? 0n);
  if (published > 0) await sql`select pg_notify(${EVENTS_CHANNEL}, ${tenantId})`.execute(trx);
  return published;
}
