import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../kernel/database/open-database.ts';
import { createStewardApp } from '../../app/start-steward.ts';
import type { Database } from '../../app/database.ts';
import type { StewardApp } from '../../kernel/http/steward-app.ts';
import { createLogger } from '../../kernel/logging/logger.ts';
import { createServices } from '../../app/create-services.ts';
import { startTestApp } from '../../../test/support/test-app.ts';
import { testDatabaseConfig } from '../../../test/support/test-database.ts';
import { aConfigFile, runSteward } from '../../../test/support/steward-process.ts';
import { ApiKeyCache, forgetApiKeyInThisProcess, type VerifiedApiKey } from './api-key-cache.ts';
import { issueRoleApiKey } from './role-api-key.ts';

const anAuditorKey: VerifiedApiKey = {
  id: 'key-1',
  tenantId: 'default',
  permissions: new Set(['audit:read']),
  expiresAt: null,
};

test('the key cache answers only while it hears revocations, and never stores a key read while one happened', () => {
  const cache = new ApiKeyCache({ ttlMs: 30_000, maxKeys: 10 });
  try {
    const now = Date.now();
    cache.store('hash-1', anAuditorKey, cache.generation, now);
    assert.equal(cache.get('hash-1', now), undefined, 'not listening yet: nothing is trusted');

    cache.setListening(true);
    cache.store('hash-1', anAuditorKey, cache.generation, now);
    assert.equal(cache.get('hash-1', now), anAuditorKey);
    assert.equal(cache.get('hash-1', now + 30_001), undefined, 'past the TTL the key is read again');

    const beforeRead = cache.generation;
    forgetApiKeyInThisProcess('key-1');
    cache.store('hash-1', anAuditorKey, beforeRead, now);
    assert.equal(cache.get('hash-1', now), undefined, 'a read that raced the revocation is not kept');

    cache.store('hash-1', anAuditorKey, cache.generation, now);
    cache.setListening(false);
    assert.equal(cache.get('hash-1', now), undefined, 'connection lost: revocations could be missed');
  } finally {
    cache.close();
  }
});

/**
 * Two replicas of the API on one database. On PostgreSQL the second replica has its own connection
 * pool and LISTEN connection, and the key is revoked by another process (`steward apikey revoke`),
 * so only the notification can tell the replicas. PGlite has one process, which revokes itself.
 */
test(`a revoked API key stops working promptly on every replica, although replicas keep verified keys in memory`, async () => {
  const replicaA = await startTestApp();
  const logger = createLogger({ level: 'silent' });
  const databaseB = await openDatabase<Database>(testDatabaseConfig('unused', replicaA.database.url));
  const servicesB = await createServices(replicaA.services.config, databaseB, replicaA.jobs, logger);
  const replicaB = await createStewardApp(servicesB, { ready: true });
  try {
    const { apiKey, token } = await issueRoleApiKey(replicaA.database.db, {
      role: 'auditor',
      tenantId: 'default',
      name: 'dashboard',
      actor: { kind: 'system', id: 'test' },
    });
    const listNotices = (app: StewardApp) =>
      app.inject({ url: '/v1/consent/notices', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) {
      assert.equal((await listNotices(replicaA.app)).statusCode, 200);
      assert.equal((await listNotices(replicaB)).statusCode, 200);
    }

    const revoked = await runSteward([
      '--config',
      aConfigFile({ database: { url: replicaA.database.url } }),
      'apikey',
      'revoke',
      apiKey.id,
    ]);
    assert.equal(revoked.code, 0, revoked.stderr);

    // The notification arrives within milliseconds; the wait is bounded far below the cache's
    // 30-second lifetime, so only the notification can have made the replicas refuse the key.
    for (const replica of [replicaA.app, replicaB]) {
      const refused = await eventually(
        async () => (await listNotices(replica)).json(),
        (body) => body.code === 'auth.api_key_revoked',
        5_000,
      );
      assert.equal(refused.code, 'auth.api_key_revoked');
    }
  } finally {
    await replicaB.close();
    await servicesB.consent.close();
    if (databaseB !== replicaA.database) await databaseB.close();
    await replicaA.close();
  }
});

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  withinMs: number,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
