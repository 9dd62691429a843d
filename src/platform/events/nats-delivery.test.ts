import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createLogger } from '../../kernel/logging/logger.ts';
import { createStewardSecrets } from '../secrets/steward-secrets.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import type { CloudEvent } from './cloud-event.ts';
import { createEventDispatcher } from './event-dispatcher.ts';
import { eventsConfigSchema } from './events-config-schema.ts';
import { publishEvent } from './publish-event.ts';

const NATS_URL = process.env.STEWARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

test(`events reach the real NATS JetStream as steward.consent.<purpose>, creating the stream`, async () => {
  // The default stream (created on first use, then shared); a random purpose token keeps runs apart.
  const stream = 'STEWARD';
  const topic = `consent.t${randomBytes(4).toString('hex')}`;
  const reader = `reader_${randomBytes(4).toString('hex')}`;
  const database = await createTestDatabase();
  const dispatcher = createEventDispatcher(
    database.db,
    eventsConfigSchema.parse({ nats: { url: NATS_URL, stream } }),
    createLogger({ level: 'silent' }),
    createStewardSecrets(database.db, {}),
  );
  const nc = await connect({ servers: NATS_URL });
  const manager = await jetstreamManager(nc);
  try {
    for (let n = 1; n <= 3; n++) {
      await publishEvent(database.db, {
        tenantId: 'default',
        type: 'consent.given',
        source: 'consent',
        topic: `${topic}.marketing`,
        subject: 'carol',
        data: { n },
      });
    }
    const round = await dispatcher.drain();
    assert.equal(round.delivered, 3);

    const info = await manager.streams.info(stream);
    assert.deepEqual(info.config.subjects, ['steward.>']);
    await manager.consumers.add(stream, {
      durable_name: reader,
      ack_policy: AckPolicy.None,
      filter_subject: `steward.${topic}.>`,
    });
    const consumer = await jetstream(nc).consumers.get(stream, reader);
    const messages = await consumer.fetch({ max_messages: 3, expires: 5000 });
    const received: Array<{ subject: string; event: CloudEvent }> = [];
    for await (const message of messages)
      received.push({ subject: message.subject, event: message.json<CloudEvent>() });
    assert.deepEqual(
      received.map((r) => r.subject),
      [`steward.${topic}.marketing`, `steward.${topic}.marketing`, `steward.${topic}.marketing`],
    );
    assert.deepEqual(
      received.map((r) => r.event.data.n),
      [1, 2, 3],
    );
    assert.equal(received[0]!.event.type, 'consent.given');
  } finally {
    await manager.consumers.delete(stream, reader).catch(() => {});
    await nc.close();
    await dispatcher.stop();
    await database.close();
  }
});
