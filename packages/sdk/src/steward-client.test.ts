import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { apiErrorOf, createStewardClient, StewardApiError, unwrap } from './index.ts';

describe('the SDK against a running Steward', () => {
  let t: TestApp;
  let baseUrl: string;
  let ownerKey: string;

  before(async () => {
    t = await startTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    ownerKey = (await t.headers('owner')).authorization!.slice('Bearer '.length);
  });
  after(async () => t?.close());

  test('a typed call with an API key returns the typed data', async () => {
    const steward = createStewardClient({ baseUrl, apiKey: ownerKey });
    const me = await unwrap(steward.GET('/v1/auth/me'));
    assert.equal(me.actor.kind, 'api_key');
    assert.equal(me.actor.tenantId, 'default');
    assert.ok(me.actor.permissions.includes('dsr:approve'));
    const requests = await unwrap(
      steward.GET('/v1/requests', { params: { query: { state: 'awaiting_approval', limit: 5 } } }),
    );
    assert.deepEqual(requests.items, []);
  });

  test('an error answer becomes a StewardApiError with the status, the code, the sentence and the request id', async () => {
    const auditorKey = (await t.headers('auditor')).authorization!.slice('Bearer '.length);
    const steward = createStewardClient({ baseUrl, apiKey: auditorKey });
    const refused = await unwrap(
      steward.POST('/v1/requests/{id}/approve', {
        params: { path: { id: '6b1f6c34-8b7a-4a53-9a57-3c2d4d1e0f00' } },
        body: {},
      }),
    ).catch((error: unknown) => error);
    assert.ok(refused instanceof StewardApiError);
    assert.equal(refused.status, 403);
    assert.equal(refused.code, 'auth.permission_missing');
    assert.equal(refused.details.permission, 'dsr:approve');
    assert.match(refused.detail, /dsr:approve/);
    assert.match(refused.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  test('the tenant option acts in that tenant (a key of another tenant is refused), and no key is no credential', async () => {
    const steward = createStewardClient({ baseUrl, apiKey: ownerKey, tenant: 'acme' });
    const mismatch = await unwrap(steward.GET('/v1/auth/me')).catch((error: unknown) => error);
    assert.ok(mismatch instanceof StewardApiError);
    assert.equal(mismatch.code, 'auth.tenant_mismatch');
    const anonymous = await unwrap(createStewardClient({ baseUrl }).GET('/v1/auth/me')).catch(
      (error: unknown) => error,
    );
    assert.ok(anonymous instanceof StewardApiError);
    assert.equal(anonymous.status, 401);
  });

  test('a browser session echoes its CSRF token on changes only', async () => {
    const sent: { method: string; csrf: string | null }[] = [];
    const steward = createStewardClient({
      baseUrl,
      csrfToken: () => 'the-token',
      fetch: (request) => {
        sent.push({ method: request.method, csrf: request.headers.get('x-csrf-token') });
        return fetch(request);
      },
    });
    await steward.GET('/v1/console/sign-in-options');
    await steward.POST('/v1/auth/logout');
    assert.deepEqual(sent, [
      { method: 'GET', csrf: null },
      { method: 'POST', csrf: 'the-token' },
    ]);
  });
});

test('RFC 9457 problem details become the same typed error, extension members kept', () => {
  const response = new Response(null, { status: 409, headers: { 'x-request-id': 'req-1' } });
  const error = apiErrorOf(response, {
    type: 'https://steward.dev/problems/conflict',
    title: 'Conflicts with the current state',
    status: 409,
    detail: 'An open access request for this data subject already exists.',
    instance: 'urn:steward:request:req-1',
    code: 'dsr.duplicate',
    details: { existingRequestId: 'r-1' },
    retryable: false,
  });
  assert.equal(error.status, 409);
  assert.equal(error.code, 'dsr.duplicate');
  assert.equal(error.type, 'https://steward.dev/problems/conflict');
  assert.equal(error.title, 'Conflicts with the current state');
  assert.equal(error.detail, 'An open access request for this data subject already exists.');
  assert.deepEqual(error.details, { existingRequestId: 'r-1', retryable: false });
  assert.equal(error.requestId, 'req-1');
});

test('an answer that is neither shape still becomes a typed error with its status', () => {
  const error = apiErrorOf(
    new Response(null, { status: 502, statusText: 'Bad Gateway' }),
    '<html>proxy error</html>',
  );
  assert.equal(error.status, 502);
  assert.equal(error.code, 'http.502');
  assert.match(error.detail, /proxy error/);
});
