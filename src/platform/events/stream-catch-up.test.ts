import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { createLogger } from '../../kernel/logging/logger.ts';
import { createStewardSecrets } from '../secrets/steward-secrets.ts';
import type { CloudEvent } from './cloud-event.ts';
import { createEventDispatcher } from './event-dispatcher.ts';
import { eventsConfigSchema } from './events-config-schema.ts';
import { startLocalWebhookReceiver } from './local-webhook-receiver.ts';
import { publishEvent } from './publish-event.ts';
import { createWebhook, updateWebhook, type ChangeActor } from './webhook-store.ts';

const NATS_URL = process.env.STEWARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const admin: ChangeActor = { kind: 'system', id: 'test', tenantId: 'default' };
const quiet = createLogger({ level: 'silent' });
const masterKey = { STEWARD_MASTER_KEY: randomBytes(32).toString('base64') };

/** `count` events of one subject, as a "withdraw everything" call or an outage leaves them. */
async function aBacklog(database: TestDatabase, subject: string, count: number, topic = 'consent.marketing') {
  for (let n = 1; n <= count; n++)
    await publishEvent(database.db, {
      tenantId: 'default',
      type: 'consent.withdrawn',
      source: 'consent',
      topic,
      subject,
      data: { n },
    });
}

async function withDatabase(work: (database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  try {
    await work(database);
  } finally {
    await database.close();
  }
}

test(`one round publishes a subject's whole backlog to NATS, pipelined, and the stream holds it in order`, () =>
  withDatabase(async (database) => {
    const topic = `consent.t${randomBytes(4).toString('hex')}`;
    const reader = `reader_${randomBytes(4).toString('hex')}`;
    const dispatcher = createEventDispatcher(
      database.db,
      eventsConfigSchema.parse({ nats: { url: NATS_URL } }),
      quiet,
      createStewardSecrets(database.db, {}),
    );
    const nc = await connect({ servers: NATS_URL });
    const manager = await jetstreamManager(nc);
    try {
      await aBacklog(database, 'dora', 300, topic);

      // Before, a round delivered the head of each subject's stream only: one event.
      const round = await dispatcher.runOnce();

      assert.equal(round.delivered, 300);
      await manager.consumers.add('STEWARD', {
        durable_name: reader,
        ack_policy: AckPolicy.None,
        filter_subject: `steward.${topic}`,
      });
      const consumer = await jetstream(nc).consumers.get('STEWARD', reader);
      const received: number[] = [];
      const messages = await consumer.fetch({ max_messages: 300, expires: 5000 });
      for await (const message of messages) received.push(Number(message.json<CloudEvent>().sequence));
      assert.deepEqual(
        received,
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
    } finally {
      await manager.consumers.delete('STEWARD', reader).catch(() => {});
      await nc.close();
      await dispatcher.stop();
    }
  }));

test(`a webhook that takes batches gets a subject's backlog as signed CloudEvents batches, in order`, () =>
  withDatabase(async (database) => {
    const { db } = database;
    const secrets = createStewardSecrets(db, masterKey);
    const receiver = await startLocalWebhookReceiver();
    const dispatcher = createEventDispatcher(
      db,
      eventsConfigSchema.parse({ webhookAllowedNetworks: ['127.0.0.1'] }),
      quiet,
      secrets,
    );
    try {
      const webhook = await createWebhook(db, secrets.store, admin, {
        url: receiver.url,
        eventTypes: ['consent.*'],
        batchMax: 50,
      });
      assert.equal(webhook.batchMax, 50);
      receiver.setSecret(webhook.secret!);
      await aBacklog(database, 'erin', 120);

      const round = await dispatcher.runOnce();

      assert.equal(round.delivered, 120);
      assert.equal(receiver.rejected, 0, 'every batch verifies as a Standard Webhooks signature');
      assert.deepEqual(receiver.requestSizes, [50, 50, 20]);
      assert.deepEqual(
        receiver.events.map((e) => Number(e.sequence)),
        Array.from({ length: 120 }, (_, i) => i + 1),
      );
      // A receiver that did not opt in keeps getting one event per request.
      await updateWebhook(db, secrets.store, admin, webhook.id, { batchMax: 1 });
      await aBacklog(database, 'fred', 3);
      await dispatcher.runOnce();
      assert.deepEqual(receiver.requestSizes.slice(3), [1, 1, 1]);
      assert.equal(receiver.rejected, 0);
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  }));

test(`a batch the receiver refuses stops the subject's run there: what came before stays delivered, the rest follows in order once it accepts`, () =>
  withDatabase(async (database) => {
    const { db } = database;
    const secrets = createStewardSecrets(db, masterKey);
    let refuse = true;
    const receiver = await startLocalWebhookReceiver({
      respond: (event) => (refuse && event.data.n === 60 ? 503 : 204),
    });
    const dispatcher = createEventDispatcher(
      db,
      eventsConfigSchema.parse({ webhookAllowedNetworks: ['127.0.0.1'], retryInitialSeconds: 0.01 }),
      quiet,
      secrets,
    );
    try {
      const webhook = await createWebhook(db, secrets.store, admin, {
        url: receiver.url,
        eventTypes: ['consent.*'],
        batchMax: 50,
      });
      receiver.setSecret(webhook.secret!);
      await aBacklog(database, 'gina', 120);

      const first = await dispatcher.runOnce();
      assert.deepEqual([first.delivered, first.failed], [50, 1]);
      const attempts = await db
        .selectFrom('event_deliveries')
        .select(['attempts', 'status'])
        .where('stream_key', '=', 'subject:gina')
        .orderBy('stream_sequence')
        .execute();
      assert.deepEqual(
        attempts.slice(49, 53).map((d) => [d.status, d.attempts]),
        [
          ['delivered', 1],
          ['pending', 1],
          ['pending', 0],
          ['pending', 0],
        ],
        'the refused batch counts one attempt, on its first event; the events behind it were not attempted',
      );

      refuse = false;
      await new Promise((resolve) => setTimeout(resolve, 50));
      await dispatcher.drain();
      assert.deepEqual(
        receiver.events.map((e) => Number(e.sequence)),
        Array.from({ length: 120 }, (_, i) => i + 1),
      );
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  }));
