import { sql } from 'kysely';
import type { EventsDatabase } from './store/events-database.ts';
import { NotFound, Unavailable } from '../../kernel/errors/domain-error.ts';
import type { EventsConfig } from './events-config-schema.ts';
import { toCloudEvent } from './cloud-event.ts';
import type { NatsPublisher } from './nats-publisher.ts';
import { NATS_SUBJECT_PREFIX } from './nats-publisher.ts';
import { NATS_DESTINATION, routePendingEvents } from './route-pending-events.ts';
import { networksOf } from './webhook-address-policy.ts';
import { sendWebhook } from './webhook-sender.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

export interface DeliveryContext {
  db: DbHandle<EventsDatabase>;
  config: EventsConfig;
  /** Present when events.nats.url is set. */
  nats: NatsPublisher | undefined;
  /** A webhook's signing secret from its `secret:` reference (webhook-signing-secrets.ts). */
  signingSecret(webhook: { tenantId: string; secretRef: string; updatedAt: Date }): Promise<string>;
}

export interface DeliveryRound {
  routed: number;
  delivered: number;
  failed: number;
  deadLettered: number;
}

interface ClaimedDelivery {
  id: string;
  destination: string;
  attempts: number;
  give_up_at: Date;
  event_id: string;
  tenant_id: string;
  type: string;
  source: string;
  subject: string | null;
  topic: string;
  stream_sequence: number;
  occurred_at: Date;
  data: Record<string, unknown>;
  url: string | null;
  secret_ref: string | null;
  webhook_updated_at: Date | null;
}

/**
 * One round of the dispatcher: route new outbox events, claim the oldest pending delivery of each
 * (destination, subject stream) that is due, deliver them concurrently and record the outcome.
 * Only a stream's head is ever claimed, so one subject's events reach a destination in order and a
 * failing event holds back only its own subject. Claims are leases taken with SKIP LOCKED, so any
 * number of dispatchers may run; a crashed one's leases run out and the deliveries are retried
 * (at least once: receivers de-duplicate on the event id).
 */
export async function deliverPendingEvents(context: DeliveryContext): Promise<DeliveryRound> {
  const { db, config } = context;
  const routed = await routePendingEvents(db, {
    nats: context.nats !== undefined,
    retryForHours: config.retryForHours,
    batchSize: config.dispatcher.batchSize * 5,
  });
  const claimed = await claimDueHeads(db, config.dispatcher.batchSize, config.dispatcher.leaseSeconds);
  const round: DeliveryRound = { routed, delivered: 0, failed: 0, deadLettered: 0 };
  const delivered: string[] = [];
  await runConcurrently(claimed, config.dispatcher.concurrency, async (delivery) => {
    try {
      await deliverOne(context, delivery);
      delivered.push(delivery.id);
    } catch (error) {
      const dead = await recordFailure(db, config, delivery, error);
      if (dead) round.deadLettered++;
      else round.failed++;
    }
  });
  if (delivered.length > 0) {
    await db
      .updateTable('event_deliveries')
      .set({ status: 'delivered', delivered_at: new Date(), leased_until: null, last_error: null })
      .where('id', 'in', delivered)
      .execute();
  }
  round.delivered = delivered.length;
  return round;
}

async function claimDueHeads(
  db: DbHandle<EventsDatabase>,
  limit: number,
  leaseSeconds: number,
): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<ClaimedDelivery>`
    with heads as (
      select d.id
      from event_deliveries d
      where d.status = 'pending'
        and d.next_attempt_at <= now()
        and (d.leased_until is null or d.leased_until < now())
        and not exists (
          select 1 from event_deliveries earlier
          where earlier.destination = d.destination and earlier.tenant_id = d.tenant_id and earlier.stream_key = d.stream_key
            and earlier.status = 'pending' and earlier.stream_sequence < d.stream_sequence)
        and (d.webhook_id is null or exists (select 1 from event_webhooks w where w.id = d.webhook_id and w.active))
      order by d.next_attempt_at, d.stream_sequence
      limit ${limit}
      for update of d skip locked
    ), claimed as (
      update event_deliveries u
      set leased_until = now() + make_interval(secs => ${leaseSeconds}), attempts = u.attempts + 1
      from heads where u.id = heads.id
      returning u.id, u.destination, u.attempts, u.give_up_at, u.event_id, u.webhook_id
    )
    select c.id, c.destination, c.attempts, c.give_up_at, c.event_id,
      o.tenant_id, o.type, o.source, o.subject, o.topic, o.stream_sequence, o.occurred_at, o.data,
      w.url, w.secret_ref, w.updated_at as webhook_updated_at
    from claimed c
    join event_outbox o on o.id = c.event_id
    left join event_webhooks w on w.id = c.webhook_id`.execute(db);
  return rows;
}

async function deliverOne(context: DeliveryContext, delivery: ClaimedDelivery): Promise<void> {
  const body = JSON.stringify(toCloudEvent({ ...delivery, id: delivery.event_id }));
  if (delivery.destination === NATS_DESTINATION) {
    if (!context.nats)
      throw new Unavailable(
        'events.nats_not_configured',
        'NATS is not configured in this process (events.nats.url)',
      );
    await context.nats.publish(
      `${NATS_SUBJECT_PREFIX}.${delivery.topic}`,
      body,
      delivery.event_id,
      context.config.webhookTimeoutMs,
    );
    return;
  }
  if (delivery.url === null || delivery.secret_ref === null || delivery.webhook_updated_at === null)
    throw new NotFound('events.webhook_gone', 'the webhook no longer exists');
  const secret = await context.signingSecret({
    tenantId: delivery.tenant_id,
    secretRef: delivery.secret_ref,
    updatedAt: delivery.webhook_updated_at,
  });
  await sendWebhook(
    delivery.url,
    secret,
    delivery.event_id,
    body,
    context.config.webhookTimeoutMs,
    networksOf(context.config.webhookAllowedNetworks),
  );
}

/** Schedules the next attempt with exponential backoff, or dead-letters past the retry window. */
async function recordFailure(
  db: DbHandle<EventsDatabase>,
  config: EventsConfig,
  delivery: ClaimedDelivery,
  error: unknown,
): Promise<boolean> {
  const message = error instanceof Error ? error.message : String(error);
  const delaySeconds = Math.min(
    config.retryInitialSeconds * 2 ** (delivery.attempts - 1),
    config.retryMaxSeconds,
  );
  const next = new Date(Date.now() + delaySeconds * 1000);
  const dead = next.getTime() > delivery.give_up_at.getTime();
  await db
    .updateTable('event_deliveries')
    .set(
      dead
        ? { status: 'dead', leased_until: null, last_error: message }
        : { next_attempt_at: next, leased_until: null, last_error: message },
    )
    .where('id', '=', delivery.id)
    .execute();
  return dead;
}

async function runConcurrently<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
