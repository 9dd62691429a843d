import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { loadPseudonymKey } from '../audit/audit-keys.ts';
import { integratePendingEntries } from '../audit/integrate-pending-entries.ts';
import { anAuditSetup } from '../../../test/support/audit-fixtures.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { StewardConfig } from '../../app/config/config-schema.ts';

/** Accountability: what the auth and secrets domains do shows up in the tamper-evident audit log. */
describe('auth and secrets actions in the audit log', () => {
  const setup = anAuditSetup();
  let t: TestApp;
  before(async () => {
    process.env.STEWARD_MASTER_KEY ??= randomBytes(32).toString('base64');
    t = await startTestApp({ config: { audit: setup.config } as unknown as Partial<StewardConfig> });
  });
  after(async () => {
    await t.close();
    setup.remove();
  });

  async function loggedActions(): Promise<
    { action: string; outcome: string; object: { id: string }; actor: { kind: string } }[]
  > {
    await integratePendingEntries(t.database.db, {
      pseudonymKey: loadPseudonymKey(setup.config),
      batchSize: 500,
    });
    const response = await t.app.inject({
      url: '/v1/audit/entries?from=0&limit=500',
      headers: await t.headers('auditor'),
    });
    assert.equal(response.statusCode, 200);
    return response.json().entries.map((e: { entry: string }) => JSON.parse(e.entry));
  }

  test('key creation and revocation, refused escalation, role changes and secret writes are recorded without secrets', async () => {
    const owner = await t.headers('owner');
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: owner,
      payload: { name: 'ci', role: 'developer' },
    });
    const { apiKey, key } = created.json();
    await t.app.inject({ method: 'DELETE', url: `/v1/apikeys/${apiKey.id}`, headers: owner });
    await t.app.inject({ url: '/v1/auth/me', headers: { authorization: `Bearer ${key}` } });
    await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: await t.headers('admin'),
      payload: { name: 'x', permissions: ['tenants:manage'] },
    });
    const member = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: owner,
      payload: { email: 'carol@example.com', roles: ['auditor'] },
    });
    await t.app.inject({
      method: 'PUT',
      url: `/v1/users/${member.json().user.id}/roles`,
      headers: owner,
      payload: { roles: ['request_agent'] },
    });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/secrets/crm-password',
      headers: owner,
      payload: { value: 'pa55-w0rd-value' },
    });

    const entries = await loggedActions();
    const find = (action: string, objectId?: string) =>
      entries.find((e) => e.action === action && (!objectId || e.object.id === objectId));
    assert.equal(find('auth.apikey.created', apiKey.id)?.outcome, 'success');
    assert.equal(find('auth.apikey.revoked', apiKey.id)?.outcome, 'success');
    assert.equal(find('auth.login.failed', apiKey.id)?.outcome, 'failure', "the revoked key's later attempt");
    assert.equal(
      find('auth.apikey.create_denied')?.outcome,
      'denied',
      'the refused escalation survives its rollback',
    );
    assert.equal(find('auth.user.roles_changed', member.json().user.id)?.outcome, 'success');
    assert.equal(find('secrets.secret.written', 'crm-password')?.outcome, 'success');
    const text = JSON.stringify(entries);
    assert.ok(!text.includes(key) && !text.includes('pa55-w0rd-value'), 'no key or secret value in the log');
    assert.ok(!text.includes('carol@example.com'), 'no staff email in the log');
  });
});
