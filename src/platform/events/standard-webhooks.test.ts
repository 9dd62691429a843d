import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createLogger } from '../../kernel/logging/logger.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { createStewardSecrets } from '../secrets/steward-secrets.ts';
import type { CloudEvent } from './cloud-event.ts';
import { createEventDispatcher } from './event-dispatcher.ts';
import { eventsConfigSchema } from './events-config-schema.ts';
import { publishEvent } from './publish-event.ts';
import { verifyWebhookSignature, webhookSignatureHeaders } from './webhook-signature.ts';
import { createWebhook } from './webhook-store.ts';

/**
 * The receiving side as a team would write it with the official Standard Webhooks library: verify
 * the raw body with the webhook's secret, refuse anything that does not verify.
 */
async function startStockReceiver() {
  let verifier: Webhook | undefined;
  const verified: { event: CloudEvent; headers: IncomingHttpHeaders }[] = [];
  const refused: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const event = verifier!.verify(
          Buffer.concat(chunks).toString('utf8'),
          request.headers as Record<string, string>,
        );
        verified.push({ event: event as CloudEvent, headers: request.headers });
        response.writeHead(204).end();
      } catch (error) {
        refused.push((error as Error).message);
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    verified,
    refused,
    useSecret(secret: string) {
      verifier = new Webhook(secret);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('a receiver verifies deliveries with the official Standard Webhooks library and the secret Steward issued', async () => {
  const database = await createTestDatabase();
  const secrets = createStewardSecrets(database.db, {
    STEWARD_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  const receiver = await startStockReceiver();
  const dispatcher = createEventDispatcher(
    database.db,
    eventsConfigSchema.parse({ webhookAllowedNetworks: ['127.0.0.1'] }),
    createLogger({ level: 'silent' }),
    secrets,
  );
  try {
    const webhook = await createWebhook(
      database.db,
      secrets.store,
      { kind: 'system', id: 'test', tenantId: 'default' },
      { url: receiver.url, eventTypes: ['consent.*'] },
    );
    assert.match(webhook.secret!, /^whsec_[A-Za-z0-9+/]{43}=$/, "Standard Webhooks' secret format");
    receiver.useSecret(webhook.secret!);
    for (const type of ['consent.given', 'consent.withdrawn'])
      await publishEvent(database.db, {
        tenantId: 'default',
        type,
        source: 'consent',
        topic: 'consent.marketing',
        subject: 'customer-1042',
        data: { purpose: 'marketing.communications.email' },
      });

    const round = await dispatcher.drain();

    assert.equal(round.delivered, 2);
    assert.deepEqual(receiver.refused, []);
    assert.deepEqual(
      receiver.verified.map(({ event }) => event.type),
      ['consent.given', 'consent.withdrawn'],
    );
    for (const { event, headers } of receiver.verified) {
      assert.equal(headers['webhook-id'], event.id, 'webhook-id is the event id, for deduplication');
      assert.ok(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000) < 60);
      assert.match(
        String(headers['steward-signature']),
        /^t=\d+,v1=[0-9a-f]{64}$/,
        'deprecated header still sent',
      );
    }
  } finally {
    await dispatcher.stop();
    await receiver.close();
    await database.close();
  }
});

test("Steward's own verifier (steward events listen) accepts what the official library signs, and refuses tampering, old timestamps and other secrets", () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const body = JSON.stringify({ specversion: '1.0', id: 'evt-1', type: 'consent.given' });
  const now = Math.floor(Date.now() / 1000);
  const signature = new Webhook(secret).sign('evt-1', new Date(now * 1000), body);
  const headers = { 'webhook-id': 'evt-1', 'webhook-timestamp': String(now), 'webhook-signature': signature };

  assert.deepEqual(verifyWebhookSignature(secret, body, headers), { valid: true, timestampSeconds: now });
  assert.deepEqual(verifyWebhookSignature(secret, `${body} `, headers), {
    valid: false,
    reason: 'signature mismatch',
  });
  assert.deepEqual(verifyWebhookSignature(secret, body, headers, { nowSeconds: now + 301 }), {
    valid: false,
    reason: 'timestamp outside tolerance',
  });
  const otherSecret = `whsec_${randomBytes(32).toString('base64')}`;
  assert.equal(verifyWebhookSignature(otherSecret, body, headers).valid, false);
  // And the other way round: the official library verifies what Steward signs.
  const signed = webhookSignatureHeaders(secret, 'evt-1', body, now);
  assert.deepEqual(new Webhook(secret).verify(body, signed), JSON.parse(body));
});
