import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenIdProvider, type OpenIdProvider } from '../../../../test/support/openid-provider.ts';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import type { StewardConfig } from '../../../app/config/config-schema.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../auth-plugin.ts';
import { PENDING_SIGN_IN_COOKIE } from './oidc-routes.ts';

const REDIRECT = 'https://steward.example.test/v1/auth/oidc/callback';
const accounts = {
  ada: { email: 'Ada@Example.com', groups: ['privacy-team'] },
  bob: { email: 'bob@example.com', groups: ['marketing'] },
};

describe('single sign-on through the API', () => {
  let provider: OpenIdProvider;
  let t: TestApp;

  before(async () => {
    process.env.STEWARD_TEST_OIDC_CLIENT_SECRET = 'steward-client-secret';
    provider = await startOpenIdProvider({
      clients: [{ clientId: 'steward', clientSecret: 'steward-client-secret', redirectUri: REDIRECT }],
      accounts,
    });
    const auth = {
      rateLimit: { max: 8, timeWindowMs: 60_000 },
      oidc: {
        issuer: provider.issuer,
        clientId: 'steward',
        clientSecretRef: 'env:STEWARD_TEST_OIDC_CLIENT_SECRET',
        redirectUri: REDIRECT,
        roleMapping: [{ group: 'privacy-team', role: 'privacy_officer' }],
        allowInsecureRequests: true,
      },
    };
    t = await startTestApp({ config: { auth } as unknown as Partial<StewardConfig> });
  });
  after(async () => {
    await t.close();
    await provider.close();
  });

  /** The browser's round trip: Steward → provider login form → Steward's callback. */
  async function signIn(accountId: string) {
    const login = await t.app.inject({ url: '/v1/auth/oidc/login' });
    assert.equal(login.statusCode, 302);
    const pending = login.cookies.find((c) => c.name === PENDING_SIGN_IN_COOKIE);
    assert.ok(pending?.httpOnly && pending.secure, 'the pending sign-in cookie is HttpOnly and Secure');
    const back = await provider.signIn(String(login.headers.location), accountId);
    return t.app.inject({
      url: `${back.pathname}${back.search}`,
      cookies: { [PENDING_SIGN_IN_COOKIE]: pending.value },
    });
  }

  test('a member of a mapped group signs in and gets a secure session with the mapped role', async () => {
    const callback = await signIn('ada');
    assert.equal(callback.statusCode, 303);
    const session = callback.cookies.find((c) => c.name === SESSION_COOKIE);
    const csrf = callback.cookies.find((c) => c.name === CSRF_COOKIE);
    assert.ok(session && csrf);
    assert.equal(session.httpOnly, true);
    assert.equal(session.secure, true);
    assert.equal(session.sameSite, 'Lax');
    assert.equal(csrf.httpOnly, undefined, 'the console must be able to read the CSRF cookie');

    const me = await t.app.inject({ url: '/v1/auth/me', cookies: { [SESSION_COOKIE]: session.value } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().actor.kind, 'user');
    assert.ok(me.json().actor.permissions.includes('dsr:approve'));
    assert.ok(!me.json().actor.permissions.includes('users:manage'));

    const cookies = { [SESSION_COOKIE]: session.value, [CSRF_COOKIE]: csrf.value };
    const forged = await t.app.inject({ method: 'POST', url: '/v1/auth/logout', cookies });
    assert.equal(forged.statusCode, 403, 'a cookie-authenticated change without the CSRF header is refused');
    assert.equal(forged.json().code, 'auth.csrf_failed');
    const wrongToken = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': 'x'.repeat(43) },
    });
    assert.equal(wrongToken.statusCode, 403);

    const logout = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': csrf.value },
    });
    assert.equal(logout.statusCode, 204);
    assert.equal(
      (await t.app.inject({ url: '/v1/auth/me', cookies: { [SESSION_COOKIE]: session.value } })).statusCode,
      401,
    );
  });

  test('a tampered session cookie is not accepted', async () => {
    const callback = await signIn('ada');
    const session = callback.cookies.find((c) => c.name === SESSION_COOKIE);
    assert.ok(session);
    const tampered = `${session.value.slice(0, 5)}${session.value[5] === 'A' ? 'B' : 'A'}${session.value.slice(6)}`;
    assert.equal(
      (await t.app.inject({ url: '/v1/auth/me', cookies: { [SESSION_COOKIE]: tampered } })).statusCode,
      401,
    );
  });

  test('a person in no mapped group is refused and no user is created', async () => {
    const callback = await signIn('bob');
    assert.equal(callback.statusCode, 403);
    assert.equal(callback.json().code, 'auth.no_role');
    const users = await t.database.db.selectFrom('users').select('email').execute();
    assert.ok(!users.some((u) => u.email === 'bob@example.com'));
  });

  test('a callback without the pending sign-in cookie is refused', async () => {
    const response = await t.app.inject({ url: '/v1/auth/oidc/callback?code=abc&state=def' });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'auth.oidc_no_pending');
  });

  test('sign-in endpoints are rate limited more strictly than the API', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await t.app.inject({ url: '/v1/auth/oidc/login' })).statusCode);
    assert.ok(statuses.includes(429), `expected a 429 within 10 sign-in attempts, got ${statuses.join(',')}`);
    assert.equal(
      (await t.app.inject({ url: '/v1/auth/me', headers: await t.headers('auditor') })).statusCode,
      200,
      'the rest of the API is unaffected',
    );
  });
});
