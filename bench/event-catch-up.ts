// Per-subject event catch-up (issue 12, item 4). One subject has a backlog of events, already
// routed to their destinations (as after a NATS or webhook outage: routing needs only the
// database); a running dispatcher delivers it in order.
//  - NATS JetStream: events/s against the same messages published directly, in order, each
//    publish awaited before the next (what a producer that keeps one subject's order does without
//    Steward). Goal ≥ 0.5×. The same direct publishes pipelined are shown too.
//  - a webhook receiver that opted into batches, and one that did not: events/s against direct
//    signed POSTs of the same events, in order, one at a time. Goal ≥ 0.5× for the batching one.
// BENCH_CATCH_UP_EVENTS overrides the backlog (2,000).
import { randomBytes } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Database } from '../src/app/database.ts';
import { migrateSteward } from '../src/app/start-steward.ts';
import { openDatabase, type StewardDatabase } from '../src/kernel/database/open-database.ts';
import { createLogger } from '../src/kernel/logging/logger.ts';
import { toCloudEvent } from '../src/platform/events/cloud-event.ts';
import { createEventDispatcher } from '../src/platform/events/event-dispatcher.ts';
import { eventsConfigSchema } from '../src/platform/events/events-config-schema.ts';
import { startLocalWebhookReceiver } from '../src/platform/events/local-webhook-receiver.ts';
import { publishEvent } from '../src/platform/events/publish-event.ts';
import { routePendingEvents } from '../src/platform/events/route-pending-events.ts';
import { createWebhook } from '../src/platform/events/webhook-store.ts';
import { webhookSignatureHeaders } from '../src/platform/events/webhook-signature.ts';
import { createStewardSecrets } from '../src/platform/secrets/steward-secrets.ts';
import { createPostgresDatabase } from '../test/support/test-database.ts';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';

const EVENTS = Number(process.env.BENCH_CATCH_UP_EVENTS ?? 2_000);
const NATS_URL = process.env.STEWARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const actor = { kind: 'system' as const, id: 'bench', tenantId: 'default' };

/** EVENTS events of one subject, written as publishEvent writes them. */
async function backlog(database: StewardDatabase<Database>, type: string, topic: string): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    for (let n = 0; n < EVENTS; n++)
      await publishEvent(trx, {
        tenantId: 'default',
        type,
        source: 'bench',
        topic,
        subject: 'catch-up',
        data: { n },
      });
  });
}

function rate(started: number): number {
  return EVENTS / ((performance.now() - started) / 1000);
}

async function natsRows(database: StewardDatabase<Database>, token: string): Promise<BenchmarkRow[]> {
  const topic = `bench.catchup.${token}`;
  const dispatcher = createEventDispatcher(
    database.db,
    eventsConfigSchema.parse({ nats: { url: NATS_URL } }),
    createLogger({ level: 'warn' }),
    createStewardSecrets(database.db, {}),
  );
  // A dispatcher that has been running: connected to NATS (the baseline connects before timing too).
  await publishEvent(database.db, {
    tenantId: 'default',
    type: 'bench.nats',
    source: 'bench',
    topic,
    subject: 'warm-up',
    data: {},
  });
  await dispatcher.drain();
  await backlog(database, 'bench.nats', topic);
  // Routed already, as a backlog is after an outage: routing needs only the database.
  await routePendingEvents(database.db, { nats: true, retryForHours: 24, batchSize: EVENTS });
  const started = performance.now();
  const round = await dispatcher.drain(100_000);
  const stewardRate = rate(started);
  await dispatcher.stop();
  if (round.delivered !== EVENTS) throw new Error(`delivered ${round.delivered} of ${EVENTS}`);

  const nc = await connect({ servers: NATS_URL });
  const js = jetstream(nc);
  const body = JSON.stringify(
    toCloudEvent({
      id: 'x',
      tenant_id: 'default',
      type: 'bench.nats',
      source: 'bench',
      subject: 'catch-up',
      stream_sequence: 1,
      occurred_at: new Date(),
      data: { n: 0 },
    }),
  );
  const subject = `steward.${topic}.direct`;
  let directStarted = performance.now();
  for (let n = 0; n < EVENTS; n++) await js.publish(subject, body, { msgID: `${token}-a-${n}` });
  const directRate = rate(directStarted);
  directStarted = performance.now();
  for (let n = 0; n < EVENTS; n += 100)
    await Promise.all(
      Array.from({ length: Math.min(100, EVENTS - n) }, (_, i) =>
        js.publish(subject, body, { msgID: `${token}-b-${n + i}` }),
      ),
    );
  const pipelinedRate = rate(directStarted);
  await nc.close();
  return [
    {
      name: `one subject's backlog of ${EVENTS} events to NATS JetStream`,
      unit: 'events/s',
      value: stewardRate,
      baseline: directRate,
      baselineName: 'direct in-order publishes, each awaited',
      goal: { text: '≥ 0.5× baseline', met: stewardRate / directRate >= 0.5 },
    },
    {
      name: `the same, against pipelined direct publishes`,
      unit: 'events/s',
      value: stewardRate,
      baseline: pipelinedRate,
      baselineName: 'direct publishes, 100 in flight',
      goal: { text: 'reported', met: true },
    },
  ];
}

async function webhookRows(database: StewardDatabase<Database>): Promise<BenchmarkRow[]> {
  const secrets = createStewardSecrets(database.db, {
    STEWARD_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  const receiver = await startLocalWebhookReceiver();
  const config = eventsConfigSchema.parse({ webhookAllowedNetworks: ['127.0.0.1'] });
  const rows: BenchmarkRow[] = [];
  try {
    const measured: Record<string, number> = {};
    for (const batching of [false, true]) {
      const type = batching ? 'bench.batched' : 'bench.single';
      const webhook = await createWebhook(database.db, secrets.store, actor, {
        url: receiver.url,
        eventTypes: [type],
        ...(batching ? { batchMax: 100 } : {}),
      });
      receiver.setSecret(webhook.secret!);
      await backlog(database, type, 'bench.webhook');
      await routePendingEvents(database.db, { nats: false, retryForHours: 24, batchSize: EVENTS });
      const dispatcher = createEventDispatcher(database.db, config, createLogger({ level: 'warn' }), secrets);
      const before = receiver.events.length;
      const started = performance.now();
      const round = await dispatcher.drain(100_000);
      measured[type] = rate(started);
      await dispatcher.stop();
      if (round.delivered !== EVENTS || receiver.events.length - before !== EVENTS)
        throw new Error(`delivered ${round.delivered} of ${EVENTS}`);
      const sequences = receiver.events.slice(before).map((event) => Number(event.sequence));
      if (sequences.some((value, index) => index > 0 && value <= sequences[index - 1]!))
        throw new Error('events arrived out of order');
      await database.db
        .updateTable('event_webhooks')
        .set({ active: false })
        .where('id', '=', webhook.id)
        .execute();
      if (!batching) receiver.setSecret(webhook.secret!);
    }
    const body = JSON.stringify(
      toCloudEvent({
        id: 'x',
        tenant_id: 'default',
        type: 'bench.single',
        source: 'bench',
        subject: 'catch-up',
        stream_sequence: 1,
        occurred_at: new Date(),
        data: { n: 0 },
      }),
    );
    const secret = (
      await createWebhook(database.db, secrets.store, actor, {
        url: receiver.url,
        eventTypes: ['bench.none'],
      })
    ).secret!;
    receiver.setSecret(secret);
    const started = performance.now();
    for (let n = 0; n < EVENTS; n++) {
      const response = await fetch(receiver.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/cloudevents+json',
          ...webhookSignatureHeaders(secret, `x${n}`, body, Math.floor(Date.now() / 1000)),
        },
      });
      await response.arrayBuffer();
    }
    const directRate = rate(started);
    rows.push(
      {
        name: `one subject's backlog of ${EVENTS} events to a webhook that takes batches (100)`,
        unit: 'events/s',
        value: measured['bench.batched']!,
        baseline: directRate,
        baselineName: 'direct signed POSTs in order, one at a time',
        goal: { text: '≥ 0.5× baseline', met: measured['bench.batched']! / directRate >= 0.5 },
      },
      {
        name: `the same to a webhook that takes one event per request`,
        unit: 'events/s',
        value: measured['bench.single']!,
        baseline: directRate,
        baselineName: 'direct signed POSTs in order, one at a time',
        goal: { text: 'reported', met: true },
      },
    );
  } finally {
    await receiver.close();
  }
  return rows;
}

export const eventCatchUpBenchmark: Benchmark = {
  name: `per-subject event catch-up (${EVENTS.toLocaleString('en')} events of one subject)`,
  async run() {
    const created = await createPostgresDatabase('steward_bench_events');
    const database = await openDatabase<Database>({
      url: created.url,
      dataDir: 'unused',
      poolSize: 8,
      connectAttempts: 3,
      statementTimeoutMs: 0,
    });
    try {
      await migrateSteward(database);
      return [
        ...(await natsRows(database, randomBytes(4).toString('hex'))),
        ...(await webhookRows(database)),
      ];
    } finally {
      await database.close();
      await created.drop();
    }
  },
};

if (import.meta.main) {
  for (const row of await eventCatchUpBenchmark.run())
    console.log(
      `${row.name}: ${row.value.toFixed(0)} ${row.unit} vs ${row.baseline.toFixed(0)} (${row.baselineName}) = ${(row.value / row.baseline).toFixed(2)}× — ${row.goal.text}: ${row.goal.met ? 'met' : 'MISSED'}`,
    );
}
