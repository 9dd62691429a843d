import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../../kernel/logging/logger.ts';
import { GENERATED_MASTER_KEY_FILE, masterKeyRingFor } from '../secrets/default-master-key.ts';
import { createStewardSecrets } from '../secrets/steward-secrets.ts';
import { createTestDatabase } from '../../../test/support/test-database.ts';
import { createEventDispatcher } from './event-dispatcher.ts';
import { eventsConfigSchema } from './events-config-schema.ts';
import { startLocalWebhookReceiver } from './local-webhook-receiver.ts';
import { publishEvent } from './publish-event.ts';
import {
  createWebhook,
  deleteWebhook,
  updateWebhook,
  webhookSecretName,
  type ChangeActor,
} from './webhook-store.ts';

const admin: ChangeActor = { kind: 'user', id: 'admin-1', tenantId: 'default' };
const quiet = createLogger({ level: 'silent' });
const withMasterKey = { STEWARD_MASTER_KEY: randomBytes(32).toString('base64') };
const anEvent = (n: number) => ({
  tenantId: 'default',
  type: 'consent.given',
  source: 'consent',
  topic: 'consent.marketing',
  subject: 'ann',
  data: { n },
});

test(`a webhook's signing secret is sealed in the secret store, signs deliveries, rotates and goes with the webhook`, async () => {
  const database = await createTestDatabase();
  const secrets = createStewardSecrets(database.db, withMasterKey);
  const receiver = await startLocalWebhookReceiver();
  const dispatcher = createEventDispatcher(
    database.db,
    eventsConfigSchema.parse({ webhookAllowedNetworks: ['127.0.0.1'] }),
    quiet,
    secrets,
  );
  try {
    const webhook = await createWebhook(database.db, secrets.store, admin, { url: receiver.url });
    assert.match(webhook.secret!, /^whsec_/);
    const row = await database.db
      .selectFrom('event_webhooks')
      .select('secret_ref')
      .where('id', '=', webhook.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.secret_ref, `secret:${webhookSecretName(webhook.id)}`);
    const sealed = await database.db
      .selectFrom('secrets')
      .selectAll()
      .where('name', '=', webhookSecretName(webhook.id))
      .executeTakeFirstOrThrow();
    assert.ok(
      !Buffer.from(sealed.ciphertext).includes(Buffer.from(webhook.secret!)),
      'only ciphertext is stored',
    );

    receiver.setSecret(webhook.secret!);
    await publishEvent(database.db, anEvent(1));
    await dispatcher.drain();
    assert.deepEqual([receiver.events.length, receiver.rejected], [1, 0], 'signed with the sealed secret');

    const rotated = await updateWebhook(database.db, secrets.store, admin, webhook.id, {
      rotateSecret: true,
    });
    assert.notEqual(rotated.secret, webhook.secret);
    receiver.setSecret(rotated.secret!);
    await publishEvent(database.db, anEvent(2));
    await dispatcher.drain();
    assert.deepEqual(
      [receiver.events.length, receiver.rejected],
      [2, 0],
      'the rotated secret signs at once, the old one no more',
    );

    await deleteWebhook(database.db, secrets.store, admin, webhook.id);
    await assert.rejects(secrets.store.reveal('default', webhookSecretName(webhook.id)), {
      code: 'secrets.not_found',
    });
  } finally {
    await dispatcher.stop();
    await receiver.close();
    await database.close();
  }
});

test(`secrets stored in plain text before the secret store are sealed by the dispatcher and keep signing`, async () => {
  const database = await createTestDatabase();
  const secrets = createStewardSecrets(database.db, withMasterKey);
  const receiver = await startLocalWebhookReceiver({ secret: 'whsec_from_before' });
  const dispatcher = createEventDispatcher(
    database.db,
    eventsConfigSchema.parse({ webhookAllowedNetworks: ['127.0.0.1'] }),
    quiet,
    secrets,
  );
  try {
    const webhook = await createWebhook(database.db, secrets.store, admin, { url: receiver.url });
    // As migration 202611291619 leaves a row written before it.
    await database.db
      .updateTable('event_webhooks')
      .set({ secret_ref: 'whsec_from_before' })
      .where('id', '=', webhook.id)
      .execute();
    await publishEvent(database.db, anEvent(1));
    await dispatcher.drain();
    assert.deepEqual([receiver.events.length, receiver.rejected], [1, 0]);
    const row = await database.db
      .selectFrom('event_webhooks')
      .select('secret_ref')
      .where('id', '=', webhook.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.secret_ref, `secret:${webhookSecretName(webhook.id)}`);
    assert.equal(await secrets.store.reveal('default', webhookSecretName(webhook.id)), 'whsec_from_before');
  } finally {
    await dispatcher.stop();
    await receiver.close();
    await database.close();
  }
});

test('without STEWARD_MASTER_KEY the embedded server gets one (0600) beside its data directory on first start and keeps it; a configured PostgreSQL gets none', () => {
  const folder = mkdtempSync(join(tmpdir(), 'steward-master-key-'));
  try {
    const embedded = { embedded: { dataDir: join(folder, 'pg') } };
    const first = masterKeyRingFor(embedded, quiet, {});
    const file = join(folder, GENERATED_MASTER_KEY_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = masterKeyRingFor(embedded, quiet, {});
    assert.deepEqual(again?.newest.key, first?.newest.key, 'the second start reads the same key');
    assert.equal(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').length, 32);

    const configured = masterKeyRingFor(embedded, quiet, withMasterKey);
    assert.deepEqual(
      configured?.newest.key,
      Buffer.from(withMasterKey.STEWARD_MASTER_KEY, 'base64'),
      'a configured key wins',
    );

    assert.equal(masterKeyRingFor({}, quiet, {}), undefined);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('on a configured PostgreSQL without a master key a webhook is refused with the reason and nothing is written', async () => {
  const database = await createTestDatabase();
  try {
    const secrets = createStewardSecrets(database.db, {}, { database, logger: quiet });
    await assert.rejects(
      createWebhook(database.db, secrets.store, admin, { url: 'http://127.0.0.1:9/hook' }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'secrets.no_master_key');
        assert.match(error.message, /STEWARD_MASTER_KEY/);
        return true;
      },
    );
    assert.equal((await database.db.selectFrom('event_webhooks').select('id').execute()).length, 0);
  } finally {
    await database.close();
  }
});
