import { randomUUID } from 'node:crypto';
import { sql, type QueryCreator } from 'kysely';
import { assertPublishable, EVENTS_CHANNEL, streamKeyOf, type EventInput } from './publish-event.ts';

/** Names of the two common table expressions `withPublishedEvents` adds; a caller's own must differ. */
export const PUBLISHED_EVENT_STREAMS = 'published_event_streams';
export const PUBLISHED_EVENTS = 'published_events';

/**
 * `publishEvent` for several events, as part of a statement the caller is building: adds to
 * `creator` the common table expressions that count each stream on (one upsert per stream, whose
 * row lock serialises publishers of that stream until commit, as `publishEvent`'s does), write the
 * events to the outbox in the order given (each stream's events get its next sequence numbers in
 * that order) and wake the dispatchers on commit. A caller whose change is itself one statement
 * (a request intake) so publishes its events without a round trip of their own. The statement must
 * run in the caller's transaction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any database's statement; these tables' names are fixed
export function withPublishedEvents<Creator extends QueryCreator<any>>(
  creator: Creator,
  events: readonly EventInput[],
): Creator {
  if (events.length === 0) throw new TypeError('withPublishedEvents: no events');
  for (const event of events) assertPublishable(event);
  const streams = new Map<string, { tenantId: string; streamKey: string; count: number }>();
  const rows = events.map((event, ord) => {
    const streamKey = streamKeyOf(event);
    const key = JSON.stringify([event.tenantId, streamKey]);
    const stream = streams.get(key) ?? { tenantId: event.tenantId, streamKey, count: 0 };
    streams.set(key, stream);
    stream.count++;
    return { event, streamKey, ord, k: stream.count, stream };
  });
  // In key order, as publishEventsFrom locks them: two statements locking the same streams do so in one order.
  const counters = [...streams.values()].sort((a, b) =>
    a.tenantId === b.tenantId ? a.streamKey.localeCompare(b.streamKey) : a.tenantId.localeCompare(b.tenantId),
  );
  // The caller's statement does not read these expressions: its tables' type stays as it was.
  const counted = (creator as unknown as QueryCreator<Record<string, never>>)
    .with(
      PUBLISHED_EVENT_STREAMS,
      () => sql<{ tenant_id: string; stream_key: string; last_sequence: number }>`(
        insert into event_streams (tenant_id, stream_key, last_sequence)
        values ${sql.join(counters.map((s) => sql`(${s.tenantId}, ${s.streamKey}, ${s.count}::bigint)`))}
        on conflict (tenant_id, stream_key)
          do update set last_sequence = event_streams.last_sequence + excluded.last_sequence
        returning tenant_id, stream_key, last_sequence)`,
    )
    .with(
      PUBLISHED_EVENTS,
      () => sql<{ notified: unknown }>`(
        insert into event_outbox (id, tenant_id, stream_key, stream_sequence, type, source, subject, topic, data, occurred_at)
        select e.id, e.tenant_id, e.stream_key, s.last_sequence - e.n + e.k, e.type, e.source, e.subject, e.topic, e.data, e.occurred_at
        from (values ${sql.join(
          rows.map(
            ({ event, streamKey, ord, k, stream }) =>
              sql`(${event.id ?? randomUUID()}, ${event.tenantId}, ${streamKey}, ${k}::bigint, ${stream.count}::bigint,
                ${ord}::int, ${event.type}, ${event.source}, ${event.subject ?? null}::text, ${event.topic},
                ${JSON.stringify(event.data)}::jsonb, ${event.time ?? new Date()}::timestamptz)`,
          ),
        )}) as e (id, tenant_id, stream_key, k, n, ord, type, source, subject, topic, data, occurred_at)
        join ${sql.table(PUBLISHED_EVENT_STREAMS)} s on s.tenant_id = e.tenant_id and s.stream_key = e.stream_key
        order by e.ord
        -- The outbox's position follows the order given; one notification per tenant reaches listeners on commit.
        returning pg_notify(${EVENTS_CHANNEL}, tenant_id) as notified)`,
    );
  return counted as unknown as Creator;
}
