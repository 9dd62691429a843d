import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';
import { createStewardSecrets } from '../secrets/steward-secrets.ts';
import { createLogger } from '../../kernel/logging/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { listDeadLetters, replayDeadLetters } from './dead-letters.ts';
import { createEventDispatcher } from './event-dispatcher.ts';
import { eventsConfigSchema } from './events-config-schema.ts';
import { startLocalWebhookReceiver } from './local-webhook-receiver.ts';
import { publishEvent } from './publish-event.ts';
import { createWebhook, type ChangeActor } from './webhook-store.ts';

const admin: ChangeActor = { kind: 'system', id: 'test', tenantId: 'default' };
const quietLogger = createLogger({ level: 'silent' });
const masterKey = { STEWARD_MASTER_KEY: randomBytes(32).toString('base64') };
const secretsOf = (db: Kysely<Database>) => createStewardSecrets(db, masterKey);

function consentEvent(subject: string, type: string, n: number) {
  return {
    tenantId: 'default',
    type,
    source: 'consent',
    topic: 'consent.marketing',
    subject,
    data: { subject, n },
  };
}

async function withDatabase(work: (database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  try {
    await work(database);
  } finally {
    await database.close();
  }
}

test(`webhooks receive signed CloudEvents, each subject's in the order written`, () =>
  withDatabase(async ({ db }) => {
    const receiver = await startLocalWebhookReceiver();
    const dispatcher = createEventDispatcher(
      db,
      eventsConfigSchema.parse({ webhookAllowedNetworks: ['127.0.0.1'] }),
      quietLogger,
      secretsOf(db),
    );
    try {
      const webhook = await createWebhook(db, secretsOf(db).store, admin, {
        url: receiver.url,
        eventTypes: ['consent.*'],
      });
      receiver.setSecret(webhook.secret!);
      for (let n = 1; n <= 5; n++) {
        await publishEvent(db, consentEvent('alice', n % 2 ? 'consent.given' : 'consent.withdrawn', n));
        await publishEvent(db, consentEvent('bob', 'consent.given', n));
      }
      await publishEvent(db, {
        tenantId: 'default',
        type: 'dsr.request.created',
        source: 'dsr',
        topic: 'dsr.created',
        data: {},
      });

      const round = await dispatcher.drain();

      assert.equal(round.delivered, 10);
      assert.equal(receiver.rejected, 0);
      const ofAlice = receiver.events.filter((e) => e.subject === 'alice');
      assert.deepEqual(
        ofAlice.map((e) => e.data.n),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(
        ofAlice.map((e) => e.sequence),
        ['1', '2', '3', '4', '5'],
      );
      assert.ok(
        receiver.events.every((e) => e.type.startsWith('consent.')),
        'the dsr event is not subscribed',
      );
      const first = ofAlice[0]!;
      assert.equal(first.specversion, '1.0');
      assert.equal(first.source, '/steward/tenants/default/consent');
      assert.equal(first.datacontenttype, 'application/json');
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  }));

test(`a failing event holds back later events of its subject only, then goes to the dead-letter list and can be replayed`, () =>
  withDatabase(async ({ db }) => {
    let refuseAlice = true;
    // A retry window so short that the second failed attempt is past it.
    const config = eventsConfigSchema.parse({
      webhookAllowedNetworks: ['127.0.0.1'],
      retryForHours: 0.0001,
      retryInitialSeconds: 0.05,
      retryMaxSeconds: 0.05,
    });
    const receiver = await startLocalWebhookReceiver({
      respond: (event) => (refuseAlice && event.subject === 'alice' && event.data.n === 1 ? 500 : 200),
    });
    const dispatcher = createEventDispatcher(db, config, quietLogger, secretsOf(db));
    try {
      const webhook = await createWebhook(db, secretsOf(db).store, admin, { url: receiver.url });
      receiver.setSecret(webhook.secret!);
      await publishEvent(db, consentEvent('alice', 'consent.given', 1));
      await publishEvent(db, consentEvent('alice', 'consent.withdrawn', 2));
      await publishEvent(db, consentEvent('bob', 'consent.given', 1));

      const firstRound = await dispatcher.runOnce();
      assert.equal(firstRound.delivered, 1, 'bob is delivered although alice fails');
      assert.equal(firstRound.failed + firstRound.deadLettered, 1, "only alice's first event was attempted");
      assert.deepEqual(
        receiver.events.map((e) => e.subject),
        ['bob'],
      );

      // After the window alice's first event is dead-lettered, and her second one goes through.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await dispatcher.drain();
      const dead = await listDeadLetters(db, 'default');
      assert.deepEqual(
        dead.map((d) => [d.eventType, d.lastError]),
        [['consent.given', 'receiver answered HTTP 500']],
      );
      assert.deepEqual(
        receiver.events.map((e) => [e.subject, e.data.n]),
        [
          ['bob', 1],
          ['alice', 2],
        ],
      );

      refuseAlice = false;
      assert.equal(await replayDeadLetters(db, admin, 1), 1);
      await dispatcher.drain();
      assert.deepEqual(
        receiver.events.map((e) => [e.subject, e.data.n]),
        [
          ['bob', 1],
          ['alice', 2],
          ['alice', 1],
        ],
      );
      assert.deepEqual(await listDeadLetters(db, 'default'), []);
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  }));
