import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { startLocalWebhookReceiver, type LocalWebhookReceiver } from './local-webhook-receiver.ts';
import { refusedRange } from './webhook-address-policy.ts';
import { sendWebhook, WebhookDeliveryError } from './webhook-sender.ts';

const publicOnly = { allowedNetworks: [] };

test('internal addresses are refused by range, whatever their spelling, unless their network is allowed', () => {
  const refused: Array<[string, string]> = [
    ['169.254.169.254', 'linkLocal'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['127.0.0.53', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.9.9', 'private'],
    ['192.168.0.10', 'private'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrierGradeNat'],
  ];
  for (const [address, range] of refused) assert.equal(refusedRange(address, publicOnly), range, address);
  for (const address of ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'])
    assert.equal(refusedRange(address, publicOnly), undefined, address);
  const vpc = { allowedNetworks: ['10.20.0.0/16'] };
  assert.equal(refusedRange('10.20.3.4', vpc), undefined);
  assert.equal(refusedRange('10.21.3.4', vpc), 'private');
});

describe('webhook registration through the API', () => {
  let t: TestApp;
  before(async () => {
    process.env.STEWARD_MASTER_KEY ??= randomBytes(32).toString('base64');
    t = await startTestApp();
  });
  after(() => t.close());

  const register = async (url: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: await t.headers('admin'),
      payload: { url },
    });

  test('a URL at the metadata service, the loopback, a private network or a name resolving there is refused with the reason', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:5432/',
      'http://[::ffff:7f00:1]/',
      'http://10.0.0.5/hook',
      'http://localhost:9/hook',
    ]) {
      const response = await register(url);
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.equal(response.json().code, 'events.webhook_internal_address', url);
      assert.match(response.json().detail ?? response.json().message, /webhookAllowedNetworks/);
    }
    assert.equal(
      (await t.app.inject({ url: '/v1/webhooks', headers: await t.headers('admin') })).json().webhooks.length,
      0,
    );
  });

  test('a changed URL is checked the same way', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: await t.headers('admin'),
      payload: { url: 'https://93.184.215.14/hook' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/v1/webhooks/${created.json().webhook.id}`,
      headers: await t.headers('admin'),
      payload: { url: 'http://169.254.169.254/' },
    });
    assert.equal(changed.statusCode, 400, changed.body);
    assert.equal(changed.json().code, 'events.webhook_internal_address');
  });
});

describe('webhook delivery checks the address it connects to', () => {
  let receiver: LocalWebhookReceiver;
  before(async () => {
    receiver = await startLocalWebhookReceiver();
  });
  after(() => receiver.close());

  // A name registered while it pointed elsewhere and resolving to the loopback now (DNS rebinding)
  // is stopped at the connection, by the address the socket would connect to.
  test('a name that resolves to an internal address at connection time is refused before anything is sent', async () => {
    const byName = receiver.url.replace('127.0.0.1', 'localhost');
    await assert.rejects(
      sendWebhook(byName, 'whsec_dGVzdA==', 'evt-1', '{}', 2000, publicOnly),
      (error: unknown) => error instanceof WebhookDeliveryError && /loopback/.test(error.message),
    );
    await assert.rejects(
      sendWebhook(receiver.url, 'whsec_dGVzdA==', 'evt-2', '{}', 2000, publicOnly),
      (error: unknown) => error instanceof WebhookDeliveryError && /loopback/.test(error.message),
    );
    assert.equal(receiver.events.length + receiver.rejected, 0, 'nothing reached the receiver');
  });

  test('an allowed network is delivered to', async () => {
    const byName = receiver.url.replace('127.0.0.1', 'localhost');
    // The receiver answers 401 to a signature it cannot check: the request arrived.
    await sendWebhook(byName, 'whsec_dGVzdA==', 'evt-3', '{}', 2000, {
      allowedNetworks: ['127.0.0.0/8'],
    }).catch((error: unknown) => assert.match(String(error), /HTTP 401/));
    assert.equal(receiver.events.length + receiver.rejected, 1);
  });
});
