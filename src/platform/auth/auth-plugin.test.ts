import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { configSchema } from '../../app/config/config-schema.ts';
import { mapErrorToHttp, sendProblem } from '../../kernel/http/error-mapping.ts';
import { createLogger } from '../../kernel/logging/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import authPlugin, { type AuthServices } from './auth-plugin.ts';
import { createApiKey, revokeApiKey } from './api-keys.ts';
import { issueRoleApiKey } from './role-api-key.ts';

const system = { kind: 'system' as const, id: 'test' };

/** A bare Fastify app with the auth plugin and three routes: one per kind of access. */
async function appWithRoutes(
  services: AuthServices,
  extra?: (app: FastifyInstance) => void,
): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((error, request, reply) => sendProblem(reply, mapErrorToHttp(error, request.id)));
  await app.register(authPlugin, { services });
  app.get('/dsr', { config: { permission: 'dsr:read' } }, async (request) => ({
    actor: request.actor.id,
    tenant: request.actor.tenantId,
  }));
  app.post('/datamap', { config: { permission: 'datamap:write' } }, async () => ({ ok: true }));
  app.get('/intake', { config: { public: true } }, async (request) => ({
    kind: request.actor.kind,
    tenant: request.actor.tenantId,
  }));
  extra?.(app);
  await app.ready();
  return app;
}

describe('auth plugin', () => {
  let database: TestDatabase;
  let services: AuthServices;
  let app: FastifyInstance;

  before(async () => {
    database = await createTestDatabase();
    services = { config: configSchema.parse({}), database, logger: createLogger({ level: 'silent' }) };
    app = await appWithRoutes(services);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test('a route that declares neither a permission nor public stops the start-up', async () => {
    await assert.rejects(
      appWithRoutes(services, (a) => a.get('/forgotten', async () => 'open')),
      (error: Error & { code?: string }) =>
        error.code === 'auth.route_access_undeclared' && error.message.includes('/forgotten'),
    );
  });

  test('a route that requires a permission outside the catalogue stops the start-up', async () => {
    await assert.rejects(
      appWithRoutes(services, (a) =>
        a.get('/typo', { config: { permission: 'dsr:reed' as 'dsr:read' } }, async () => 'x'),
      ),
      (error: Error & { code?: string }) => error.code === 'auth.route_unknown_permission',
    );
  });

  test('no credentials get 401, a malformed or unknown key gets 401', async () => {
    assert.equal((await app.inject({ url: '/dsr' })).statusCode, 401);
    assert.equal(
      (await app.inject({ url: '/dsr', headers: { authorization: 'Bearer nonsense' } })).statusCode,
      401,
    );
    const unknown = `stw_${'A'.repeat(43)}`;
    const response = await app.inject({ url: '/dsr', headers: { authorization: `Bearer ${unknown}` } });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'auth.invalid_api_key');
  });

  test('a role without the permission gets 403; with it the actor carries the key and its tenant', async () => {
    const developer = await issueRoleApiKey(database.db, {
      role: 'developer',
      tenantId: 'default',
      name: 'dev',
      actor: system,
    });
    const denied = await app.inject({ url: '/dsr', headers: { authorization: `Bearer ${developer.token}` } });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().details.permission, 'dsr:read');

    const agent = await issueRoleApiKey(database.db, {
      role: 'request_agent',
      tenantId: 'acme',
      name: 'agent',
      actor: system,
    });
    const allowed = await app.inject({ url: '/dsr', headers: { authorization: `Bearer ${agent.token}` } });
    assert.equal(allowed.statusCode, 200);
    assert.deepEqual(allowed.json(), { actor: agent.apiKey.id, tenant: 'acme' });
  });

  test('a key cannot be pointed at another tenant with X-Steward-Tenant', async () => {
    const agent = await issueRoleApiKey(database.db, {
      role: 'request_agent',
      tenantId: 'globex',
      name: 'agent',
      actor: system,
    });
    const response = await app.inject({
      url: '/dsr',
      headers: { authorization: `Bearer ${agent.token}`, 'x-steward-tenant': 'default' },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'auth.tenant_mismatch');
  });

  test('revoked and expired keys are refused', async () => {
    const { apiKey, token } = await issueRoleApiKey(database.db, {
      role: 'auditor',
      tenantId: 'default',
      name: 'soon revoked',
      actor: system,
    });
    assert.equal(
      (await app.inject({ url: '/dsr', headers: { authorization: `Bearer ${token}` } })).statusCode,
      200,
    );
    await database.db
      .transaction()
      .execute((trx) => revokeApiKey(trx, { tenantId: 'default', id: apiKey.id, actor: system }));
    const revoked = await app.inject({ url: '/dsr', headers: { authorization: `Bearer ${token}` } });
    assert.equal(revoked.statusCode, 401);
    assert.equal(revoked.json().code, 'auth.api_key_revoked');

    const expiring = await database.db.transaction().execute((trx) =>
      createApiKey(trx, {
        tenantId: 'default',
        name: 'short',
        permissions: ['dsr:read'],
        expiresAt: new Date(Date.now() + 60_000),
        actor: system,
      }),
    );
    await database.db
      .updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expiring.apiKey.id)
      .execute();
    const expired = await app.inject({ url: '/dsr', headers: { authorization: `Bearer ${expiring.token}` } });
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json().code, 'auth.api_key_expired');
  });

  test('a public route answers without credentials as the anonymous actor of the named tenant', async () => {
    assert.deepEqual((await app.inject({ url: '/intake' })).json(), { kind: 'anonymous', tenant: 'default' });
    assert.deepEqual((await app.inject({ url: '/intake', headers: { 'x-steward-tenant': 'acme' } })).json(), {
      kind: 'anonymous',
      tenant: 'acme',
    });
    assert.equal(
      (await app.inject({ url: '/intake', headers: { 'x-steward-tenant': 'nowhere' } })).statusCode,
      400,
    );
  });

  test('last use is recorded on first use', async () => {
    const { apiKey, token } = await issueRoleApiKey(database.db, {
      role: 'auditor',
      tenantId: 'default',
      name: 'used',
      actor: system,
    });
    await app.inject({ url: '/dsr', headers: { authorization: `Bearer ${token}` } });
    const row = await database.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', apiKey.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.last_used_at instanceof Date);
  });
});
