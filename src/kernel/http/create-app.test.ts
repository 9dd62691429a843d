import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { Unavailable } from '../errors/domain-error.ts';
import type { StewardApp } from './steward-app.ts';

/** The one error body of the API, exactly: RFC 9457 problem details with Steward's code, never a stack. */
const problemDetails = z
  .object({
    type: z.string().regex(/^https:\/\/steward\.dev\/problems\/[a-z-]+$/),
    title: z.string().min(3),
    status: z.number().int().min(400).max(599),
    detail: z.string().min(10),
    instance: z.string().regex(/^urn:steward:request:/),
    code: z.string().regex(/^[a-z_]+\.[a-z_.]+$|^internal$/),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

function assertProblem(
  response: { body: string; statusCode: number; headers: Record<string, unknown> },
  code: string,
): z.infer<typeof problemDetails> {
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const parsed = problemDetails.parse(JSON.parse(response.body));
  assert.equal(parsed.code, code);
  assert.equal(parsed.status, response.statusCode, 'the status member repeats the HTTP status');
  assert.doesNotMatch(response.body, /\bat .+\.(ts|js):\d+/, 'no stack trace');
  return parsed;
}

/** Routes of the test's own: one with a body schema, one that fails inside. */
function mountExampleRoutes(app: StewardApp): void {
  app.post(
    '/example/contacts',
    { config: { public: true }, schema: { body: z.object({ email: z.email(), name: z.string().min(1) }) } },
    async () => ({ stored: true }),
  );
  app.get('/example/broken', { config: { public: true } }, async () => {
    throw new Error('the connector crashed');
  });
  app.get('/example/down', { config: { public: true } }, async () => {
    throw new Unavailable('example.down', 'The example system is down. Try again shortly.');
  });
}

describe(`HTTP API basics`, () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({
      config: { server: { bodyLimitBytes: 2048 } },
      beforeReady: mountExampleRoutes,
    });
  });
  after(() => testApp.close());

  test('invalid JSON is a 400 saying what to send', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/example/contacts',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c",',
    });
    assert.equal(response.statusCode, 400);
    const problem = assertProblem(response, 'request.invalid_json');
    assert.match(problem.detail, /Send a JSON document/);
    assert.equal(problem.type, 'https://steward.dev/problems/invalid-input');
  });

  test('a body over server.bodyLimitBytes is a 413', async () => {
    const payload = JSON.stringify({ email: 'a@example.com', name: 'x'.repeat(4096) });
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/example/contacts',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    assert.equal(response.statusCode, 413);
    assert.equal(
      assertProblem(response, 'request.too_large').type,
      'https://steward.dev/problems/payload-too-large',
    );
  });

  test('a body failing its schema is a 400 listing each problem by path', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/example/contacts',
      payload: { email: 'not-an-email', name: '' },
    });
    assert.equal(response.statusCode, 400);
    const problem = assertProblem(response, 'request.invalid');
    const paths = (problem.details?.issues as Array<{ path: string }>).map((issue) => issue.path).sort();
    assert.deepEqual(paths, ['body.email', 'body.name']);
  });

  test('an unknown route is a 404 pointing at the docs', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    assert.equal(response.statusCode, 404);
    const problem = assertProblem(response, 'route.not_found');
    assert.equal(problem.detail, 'No route GET /v1/nothing-here. See /docs for the API.');
    assert.equal(problem.title, 'Not found');
  });

  test('a malformed URL, rejected by the router before any hook, still gets the error body', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/v1/customers/%E0%A4%A' });
    assert.equal(response.statusCode, 400);
    assertProblem(response, 'request.rejected');
  });

  test('an unexpected failure is a 500 quoting the request id, without the cause', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/example/broken',
      headers: { 'x-request-id': 'support-ticket-4711' },
    });
    assert.equal(response.statusCode, 500);
    const problem = assertProblem(response, 'internal');
    assert.match(problem.detail, /support-ticket-4711/);
    assert.equal(problem.instance, 'urn:steward:request:support-ticket-4711');
    assert.doesNotMatch(response.body, /connector crashed/);
  });

  test('401 challenges for a bearer token (RFC 6750), telling a missing credential from a rejected one', async () => {
    const missing = await testApp.app.inject({ method: 'GET', url: '/v1/auth/me' });
    assert.equal(missing.statusCode, 401);
    assert.equal(
      assertProblem(missing, 'auth.required').type,
      'https://steward.dev/problems/unauthenticated',
    );
    assert.equal(missing.headers['www-authenticate'], 'Bearer realm="steward"');
    const rejected = await testApp.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: 'Bearer stw_not_a_real_key' },
    });
    assert.equal(rejected.statusCode, 401);
    assert.equal(rejected.headers['www-authenticate'], 'Bearer realm="steward", error="invalid_token"');
  });

  test('503 says when to retry', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/example/down' });
    assert.equal(response.statusCode, 503);
    assertProblem(response, 'example.down');
    assert.equal(response.headers['retry-after'], '5');
  });

  test('X-Request-Id is echoed when it looks like an id, and replaced by a UUID when not', async () => {
    const kept = await testApp.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-0a1b2c3d' },
    });
    assert.equal(kept.headers['x-request-id'], 'trace-0a1b2c3d');
    const replaced = await testApp.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'no spaces <allowed>' },
    });
    assert.match(
      String(replaced.headers['x-request-id']),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const generated = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    assert.notEqual(generated.headers['x-request-id'], replaced.headers['x-request-id']);
  });

  test('/openapi.json is an OpenAPI 3.1 document of the API, and /docs serves the interactive docs', async () => {
    const document = (await testApp.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      openapi: string;
      info: { title: string };
      paths: Record<string, unknown>;
    };
    assert.match(document.openapi, /^3\.1\./);
    assert.equal(document.info.title, 'Steward API');
    assert.ok(document.paths['/healthz'] && document.paths['/readyz']);
    assert.ok(document.paths['/example/contacts'], 'routes with zod schemas are documented');

    const docs = await testApp.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(String(docs.headers['content-type']), /text\/html/);
    assert.match(docs.body, /swagger/i);
  });

  test('responses carry security headers; the API may load nothing, /docs only its own assets', async () => {
    const api = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(api.headers['x-content-type-options'], 'nosniff');
    assert.equal(api.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(api.headers['referrer-policy'], 'no-referrer');
    assert.match(String(api.headers['strict-transport-security']), /max-age=\d+/);
    assert.equal(api.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'");
    for (const url of ['/v1/nothing-here', '/example/broken']) {
      const failed = await testApp.app.inject({ method: 'GET', url });
      assert.equal(
        failed.headers['x-content-type-options'],
        'nosniff',
        `${url} (${failed.statusCode}) has them too`,
      );
    }
    // Headers that only mean something to a rendered HTML document stay off the JSON answers.
    assert.equal(api.headers['x-download-options'], undefined);
    assert.equal(api.headers['cross-origin-opener-policy'], undefined);
    const docs = await testApp.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(docs.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(String(docs.headers['content-security-policy']), /script-src 'self'/);
    assert.doesNotMatch(String(docs.headers['content-security-policy']), /upgrade-insecure-requests/);
  });
});

describe(`rate limiting`, () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({ config: { server: { rateLimit: { max: 3, timeWindowMs: 60_000 } } } });
  });
  after(() => testApp.close());

  test('the request over the limit is a 429 with problem details and Retry-After; health checks are never limited', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await testApp.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const limited = await testApp.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(limited.statusCode, 429);
    const problem = assertProblem(limited, 'request.rate_limited');
    assert.equal(problem.details?.limit, 3);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await testApp.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });
});
