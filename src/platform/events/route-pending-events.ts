import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { EventsDatabase } from './store/events-database.ts';
import { webhookWantsType } from './webhook-store.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/** The NATS destination's name in event_deliveries. */
export const NATS_DESTINATION = 'nats';

export function webhookDestination(webhookId: string): string {
  return `webhook:${webhookId}`;
}

export interface RoutingSettings {
  /** Whether events also go to NATS JetStream (events.nats.url is set). */
  nats: boolean;
  /** A delivery still failing this long after its event was written is dead-lettered. */
  retryForHours: number;
  batchSize: number;
}

// Any fixed number: the one lock that lets a single router at a time fan events out.
const ROUTER_LOCK = 5_872_310_041;

/**
 * Fans committed outbox events out into one delivery per destination registered now (each active
 * webhook whose types match, and NATS when configured). Only one router runs at a time across all
 * processes (an advisory lock; the others return at once), and it routes in outbox order, so a
 * subject's deliveries appear in the order its events were written. Returns how many were routed.
 */
export async function routePendingEvents(
  db: DbHandle<EventsDatabase>,
  settings: RoutingSettings,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_xact_lock(${ROUTER_LOCK}) as locked`.execute(trx);
    if (!rows[0]?.locked) return 0;
    const events = await trx
      .selectFrom('event_outbox')
      .select(['id', 'tenant_id', 'type', 'stream_key', 'stream_sequence', 'created_at'])
      .where('routed_at', 'is', null)
      .orderBy('position')
      .limit(settings.batchSize)
      .execute();
    if (events.length === 0) return 0;
    const tenants = [...new Set(events.map((e) => e.tenant_id))];
    const webhooks = await trx
      .selectFrom('event_webhooks')
      .select(['id', 'tenant_id', 'event_types'])
      .where('active', '=', true)
      .where('tenant_id', 'in', tenants)
      .execute();
    const now = new Date();
    const deliveries = events.flatMap((event) => {
      const destinations = webhooks
        .filter((w) => w.tenant_id === event.tenant_id && webhookWantsType(w.event_types, event.type))
        .map((w) => ({ destination: webhookDestination(w.id), webhook_id: w.id as string | null }));
      if (settings.nats) destinations.push({ destination: NATS_DESTINATION, webhook_id: null });
      return destinations.map((d) => ({
        id: randomUUID(),
        tenant_id: event.tenant_id,
        event_id: event.id,
        destination: d.destination,
        webhook_id: d.webhook_id,
        stream_key: event.stream_key,
        stream_sequence: event.stream_sequence,
        status: 'pending' as const,
        next_attempt_at: now,
        give_up_at: new Date(event.created_at.getTime() + settings.retryForHours * 3_600_000),
      }));
    });
    // Chunked: one statement's parameters are limited (65535 on the wire protocol).
    for (let index = 0; index < deliveries.length; index += 2000) {
      await trx
        .insertInto('event_deliveries')
        .values(deliveries.slice(index, index + 2000))
        .onConflict((oc) => oc.columns(['event_id', 'destination']).doNothing())
        .execute();
    }
    await trx
      .updateTable('event_outbox')
      .set({ routed_at: now })
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    return events.length;
  });
}
