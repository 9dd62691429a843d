import { sql } from 'kysely';
import type { EventsDatabase } from './store/events-database.ts';
import { NotFound, Unavailable } from '../../kernel/errors/domain-error.ts';
import type { EventsConfig } from './events-config-schema.ts';
import { CLOUD_EVENTS_BATCH_CONTENT_TYPE, toCloudEvent, webhookBatchId } from './cloud-event.ts';
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
  stream_key: string;
  stream_sequence: number;
  occurred_at: Date;
  data: Record<string, unknown>;
  url: string | null;
  secret_ref: string | null;
  webhook_updated_at: Date | null;
  batch_max: number | null;
}

/**
 * One round of the dispatcher: route new outbox events, claim the oldest pending deliveries of each
 * (destination, subject stream) that are due — the head and up to `streamBatch` events after it —
 * deliver each stream's run in order, runs concurrently, and record the outcome. Within a run the
 * events go out in sequence: NATS publishes pipelined, a webhook that opted in gets them as
 * batches, any other webhook one request after the other; the first failure stops the run (it is
 * retried with backoff, the events after it wait unattempted), so one subject's events reach a
 * destination in order and a failing event holds back only its own subject. Claims are leases
 * taken with SKIP LOCKED, so any number of dispatchers may run; a crashed one's leases run out and
 * the deliveries are retried (at least once: receivers de-duplicate on the event id).
 */
export async function deliverPendingEvents(context: DeliveryContext): Promise<DeliveryRound> {
  const { db, config } = context;
  const routed = await routePendingEvents(db, {
    nats: context.nats !== undefined,
    retryForHours: config.retryForHours,
    batchSize: config.dispatcher.batchSize * 5,
  });
  const claimed = await claimDueRuns(
    db,
    config.dispatcher.batchSize,
    config.dispatcher.streamBatch,
    config.dispatcher.leaseSeconds,
  );
  const round: DeliveryRound = { routed, delivered: 0, failed: 0, deadLettered: 0 };
  const delivered: string[] = [];
  const unattempted: string[] = [];
  await runConcurrently(runsOf(claimed), config.dispatcher.concurrency, async (run) => {
    const outcome = await deliverRun(context, run);
    delivered.push(...outcome.delivered.map((d) => d.id));
    if (!outcome.failed) return;
    unattempted.push(...outcome.unattempted.map((d) => d.id));
    const dead = await recordFailure(db, config, outcome.failed.delivery, outcome.failed.error);
    if (dead) round.deadLettered++;
    else round.failed++;
  });
  if (delivered.length > 0) {
    await db
      .updateTable('event_deliveries')
      .set({ status: 'delivered', delivered_at: new Date(), leased_until: null, last_error: null })
      .where('id', 'in', delivered)
      .execute();
  }
  // Claimed behind a failure and never sent: free again at once, and the claim did not count as an attempt.
  if (unattempted.length > 0) {
    await db
      .updateTable('event_deliveries')
      .set((eb) => ({ leased_until: null, attempts: eb('attempts', '-', 1) }))
      .where('id', 'in', unattempted)
      .execute();
  }
  round.delivered = delivered.length;
  return round;
}

/**
 * Claims up to `limit` deliveries: stream heads that are due and, behind each, the next pending
 * deliveries of the same stream (`runLength` in all), in sequence order. Only a head can be claimed
 * first, and its lock is held while the rest of its run is taken, so two dispatchers never split a
 * run.
 */
async function claimDueRuns(
  db: DbHandle<EventsDatabase>,
  limit: number,
  runLength: number,
  leaseSeconds: number,
): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<ClaimedDelivery>`
    with heads as (
      select d.id, d.destination, d.tenant_id, d.stream_key, d.stream_sequence, d.next_attempt_at
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
    ), runs as (
      select r.id
      from heads h
      cross join lateral (
        select n.id, n.stream_sequence from event_deliveries n
        where n.destination = h.destination and n.tenant_id = h.tenant_id and n.stream_key = h.stream_key
          and n.status = 'pending' and n.stream_sequence >= h.stream_sequence
          and (n.id = h.id or n.leased_until is null or n.leased_until < now())
        order by n.stream_sequence
        limit ${runLength}
        for update of n
      ) r
      -- whole runs first, heads in claim order: the limit only ever shortens the last run
      order by h.next_attempt_at, h.stream_sequence, h.id, r.stream_sequence
      limit ${limit}
    ), claimed as (
      update event_deliveries u
      set leased_until = now() + make_interval(secs => ${leaseSeconds}), attempts = u.attempts + 1
      from runs where u.id = runs.id
      returning u.id, u.destination, u.attempts, u.give_up_at, u.event_id, u.webhook_id
    )
    select c.id, c.destination, c.attempts, c.give_up_at, c.event_id,
      o.tenant_id, o.type, o.source, o.subject, o.topic, o.stream_key, o.stream_sequence, o.occurred_at, o.data,
      w.url, w.secret_ref, w.updated_at as webhook_updated_at, w.batch_max
    from claimed c
    join event_outbox o on o.id = c.event_id
    left join event_webhooks w on w.id = c.webhook_id
    order by c.destination, o.tenant_id, o.stream_key, o.stream_sequence`.execute(db);
  return rows;
}

/** The claimed deliveries grouped by destination and stream, each group in sequence order. */
function runsOf(claimed: ClaimedDelivery[]): ClaimedDelivery[][] {
  const runs = new Map<string, ClaimedDelivery[]>();
  for (const delivery of claimed) {
    const key = `${delivery.destination}\u0000${delivery.tenant_id}\u0000${delivery.stream_key}`;
    const run = runs.get(key);
    if (run) run.push(delivery);
    else runs.set(key, [delivery]);
  }
  return [...runs.values()];
}

interface RunOutcome {
  delivered: ClaimedDelivery[];
  /** The first delivery that failed; the ones after it were not attempted. */
  failed?: { delivery: ClaimedDelivery; error: unknown };
  unattempted: ClaimedDelivery[];
}

/** Delivers one stream's run in order, stopping at the first failure. */
async function deliverRun(context: DeliveryContext, run: ClaimedDelivery[]): Promise<RunOutcome> {
  const first = run[0]!;
  if (first.destination === NATS_DESTINATION) return publishRun(context, run);
  const size = Math.max(1, first.batch_max ?? 1);
  for (let start = 0; start < run.length; start += size) {
    const batch = run.slice(start, start + size);
    try {
      // A receiver that opted into batches always gets the batch format, even for one event.
      if (size === 1) await deliverOne(context, batch[0]!);
      else await deliverWebhookBatch(context, batch);
    } catch (error) {
      return {
        delivered: run.slice(0, start),
        failed: { delivery: batch[0]!, error },
        unattempted: run.slice(start + 1),
      };
    }
  }
  return { delivered: run, unattempted: [] };
}

/**
 * A run to NATS, pipelined: every publish is sent at once, in order, on one connection, and their
 * acknowledgements awaited together. Up to the first failure the events are stored in order; from
 * it on they are sent again later, and JetStream's duplicate window (the event id is the message
 * id) drops those it had already stored.
 */
async function publishRun(context: DeliveryContext, run: ClaimedDelivery[]): Promise<RunOutcome> {
  if (!context.nats) {
    const error = new Unavailable(
      'events.nats_not_configured',
      'NATS is not configured in this process (events.nats.url)',
    );
    return { delivered: [], failed: { delivery: run[0]!, error }, unattempted: run.slice(1) };
  }
  const results = await context.nats.publishInOrder(
    run.map((delivery) => ({
      subject: `${NATS_SUBJECT_PREFIX}.${delivery.topic}`,
      body: JSON.stringify(toCloudEvent({ ...delivery, id: delivery.event_id })),
      msgId: delivery.event_id,
    })),
    context.config.webhookTimeoutMs,
  );
  const failedAt = results.findIndex((result) => result.status === 'rejected');
  if (failedAt === -1) return { delivered: run, unattempted: [] };
  return {
    delivered: run.slice(0, failedAt),
    failed: { delivery: run[failedAt]!, error: (results[failedAt] as PromiseRejectedResult).reason },
    unattempted: run.slice(failedAt + 1),
  };
}

/** Several events of one subject to a webhook that takes batches: one signed request, in order. */
async function deliverWebhookBatch(context: DeliveryContext, batch: ClaimedDelivery[]): Promise<void> {
  const first = batch[0]!;
  if (first.url === null || first.secret_ref === null || first.webhook_updated_at === null)
    throw new NotFound('events.webhook_gone', 'the webhook no longer exists');
  const secret = await context.signingSecret({
    tenantId: first.tenant_id,
    secretRef: first.secret_ref,
    updatedAt: first.webhook_updated_at,
  });
  const body = JSON.stringify(batch.map((delivery) => toCloudEvent({ ...delivery, id: delivery.event_id })));
  await sendWebhook(
    first.url,
    secret,
    webhookBatchId(first.event_id, batch.length),
    body,
    context.config.webhookTimeoutMs,
    networksOf(context.config.webhookAllowedNetworks),
    CLOUD_EVENTS_BATCH_CONTENT_TYPE,
  );
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
