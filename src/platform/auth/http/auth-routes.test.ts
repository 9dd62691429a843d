import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

describe('auth API: keys, users, tenants', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  test('an owner creates an auditor key that is shown once, listed without its secret, and revoked', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: await t.headers('owner'),
      payload: { name: 'reporting', role: 'auditor' },
    });
    assert.equal(created.statusCode, 201);
    const { key, apiKey } = created.json();
    assert.match(key, /^stw_[A-Za-z0-9_-]{43}$/);
    assert.ok(apiKey.permissions.includes('audit:read') && !apiKey.permissions.includes('dsr:write'));
    assert.ok(apiKey.expiresAt, 'a key created through the API expires by default');

    const me = await t.app.inject({ url: '/v1/auth/me', headers: bearer(key) });
    assert.deepEqual(
      { kind: me.json().actor.kind, id: me.json().actor.id, tenantId: me.json().actor.tenantId },
      { kind: 'api_key', id: apiKey.id, tenantId: 'default' },
    );

    const listed = await t.app.inject({ url: '/v1/apikeys', headers: await t.headers('owner') });
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(key), 'the list never contains a key');
    assert.ok(!listed.body.includes(key.slice(12)), 'nor its secret part');

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/v1/apikeys/${apiKey.id}`,
      headers: await t.headers('owner'),
    });
    assert.equal(revoked.statusCode, 200);
    assert.ok(revoked.json().apiKey.revokedAt);
    assert.equal((await t.app.inject({ url: '/v1/auth/me', headers: bearer(key) })).statusCode, 401);
  });

  test('API answers carry security headers and are never cached', async () => {
    const response = await t.app.inject({ url: '/v1/auth/me', headers: await t.headers('auditor') });
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.headers['strict-transport-security']), /max-age=\d+/);
    assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
  });

  test('an admin cannot mint a key with a permission the admin lacks', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: await t.headers('admin'),
      payload: { name: 'sneaky', permissions: ['tenants:manage'] },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'apikeys.escalation');
  });

  test("an admin cannot revoke the owner's key, as they cannot demote the owner; an admin's own kind of key they can", async () => {
    const ownerKey = await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: await t.headers('owner'),
      payload: { name: 'the owner', role: 'owner' },
    });
    assert.equal(ownerKey.statusCode, 201, ownerKey.body);
    const attempt = await t.app.inject({
      method: 'DELETE',
      url: `/v1/apikeys/${ownerKey.json().apiKey.id}`,
      headers: await t.headers('admin'),
    });
    assert.equal(attempt.statusCode, 403, attempt.body);
    assert.equal(attempt.json().code, 'apikeys.revoke_escalation');
    assert.match(attempt.json().detail ?? attempt.json().message, /tenants:manage/);
    assert.equal(
      (await t.app.inject({ url: '/v1/auth/me', headers: bearer(ownerKey.json().key) })).statusCode,
      200,
    );

    const agentKey = await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: await t.headers('admin'),
      payload: { name: 'an agent', role: 'request_agent' },
    });
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/v1/apikeys/${agentKey.json().apiKey.id}`,
      headers: await t.headers('admin'),
    });
    assert.equal(revoked.statusCode, 200, revoked.body);
  });

  test('a key of another tenant cannot be revoked from this one', async () => {
    const other = await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: await t.headers('owner', 'initech'),
      payload: { name: 'theirs', role: 'developer' },
    });
    const { apiKey } = other.json();
    const attempt = await t.app.inject({
      method: 'DELETE',
      url: `/v1/apikeys/${apiKey.id}`,
      headers: await t.headers('owner'),
    });
    assert.equal(attempt.statusCode, 404);
    const stillListed = await t.app.inject({
      url: '/v1/apikeys',
      headers: await t.headers('owner', 'initech'),
    });
    assert.equal(stillListed.json().apiKeys.find((k: { id: string }) => k.id === apiKey.id).revokedAt, null);
  });

  test('members: an admin adds an agent, cannot make anyone owner, and the last owner stays', async () => {
    const owner = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: await t.headers('owner'),
      payload: { email: 'Olga.Owner@example.com', roles: ['owner'] },
    });
    assert.equal(owner.statusCode, 201);
    assert.equal(owner.json().user.email, 'olga.owner@example.com');

    const admin = await t.headers('admin');
    const agent = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: admin,
      payload: { email: 'agent@example.com', roles: ['request_agent'] },
    });
    assert.equal(agent.statusCode, 201);
    const agentId = agent.json().user.id;

    const promote = await t.app.inject({
      method: 'PUT',
      url: `/v1/users/${agentId}/roles`,
      headers: admin,
      payload: { roles: ['owner'] },
    });
    assert.equal(promote.statusCode, 403);
    const demoteOwner = await t.app.inject({
      method: 'PUT',
      url: `/v1/users/${owner.json().user.id}/roles`,
      headers: admin,
      payload: { roles: ['auditor'] },
    });
    assert.equal(demoteOwner.statusCode, 403, "an admin cannot take an owner's role away");

    const lastOwner = await t.app.inject({
      method: 'DELETE',
      url: `/v1/users/${owner.json().user.id}`,
      headers: await t.headers('owner'),
    });
    assert.equal(lastOwner.statusCode, 409);
    assert.equal(lastOwner.json().code, 'users.last_owner');

    const changed = await t.app.inject({
      method: 'PUT',
      url: `/v1/users/${agentId}/roles`,
      headers: admin,
      payload: { roles: ['privacy_officer', 'auditor'] },
    });
    assert.equal(changed.statusCode, 200);
    assert.deepEqual(changed.json().user.roles, ['auditor', 'privacy_officer']);

    const listed = await t.app.inject({ url: '/v1/users', headers: admin });
    assert.deepEqual(
      listed
        .json()
        .users.map((u: { email: string }) => u.email)
        .sort(),
      ['agent@example.com', 'olga.owner@example.com'],
    );
  });

  test('an owner creates a tenant and gets an owner key that works only there', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: await t.headers('owner'),
      payload: { id: 'umbrella', name: 'Umbrella', issueOwnerKey: true },
    });
    assert.equal(created.statusCode, 201);
    const key = created.json().ownerKey.key;
    const me = await t.app.inject({ url: '/v1/auth/me', headers: bearer(key) });
    assert.equal(me.json().actor.tenantId, 'umbrella');
    const tenants = await t.app.inject({ url: '/v1/tenants', headers: bearer(key) });
    assert.deepEqual(
      tenants.json().tenants.map((x: { id: string }) => x.id),
      ['umbrella'],
    );

    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: await t.headers('owner'),
      payload: { id: 'umbrella', name: 'Again' },
    });
    assert.equal(again.statusCode, 409);
    const byAdmin = await t.app.inject({
      method: 'POST',
      url: '/v1/tenants',
      headers: await t.headers('admin'),
      payload: { id: 'hooli', name: 'Hooli' },
    });
    assert.equal(byAdmin.statusCode, 403);
  });
});
