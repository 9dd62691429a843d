import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { StewardApp } from '../http/steward-app.ts';

/** One person's data, spread over every part of the requests below; none of it may be logged. */
const PERSON = {
  email: 'philippa.quarrington@example.org',
  firstName: 'Philippa',
  lastName: 'Quarrington',
  phone: '+44 20 7946 0958',
  phoneDigits: '442079460958',
  street: '221B Baker Street',
  card: '4111111111111111',
  iban: 'GB33BUKB20201555555555',
  clientIp: '203.0.113.77',
  apiKey: 'stw_live_Zq8vN2kLmP4xR7tY1wE3',
  sessionCookie: 'sess-9f8e7d6c5b4a',
};

function mountCustomerRoutes(app: StewardApp): void {
  app.post(
    '/example/customers',
    {
      config: { public: true },
      schema: {
        body: z.object({
          email: z.email(),
          firstName: z.string(),
          lastName: z.string(),
          phone: z.string(),
          street: z.string(),
        }),
      },
    },
    async () => ({ stored: true }),
  );
  // A careless handler that puts its input into an error message: the log must still not carry it.
  app.get(
    '/example/customers/lookup',
    { config: { public: true }, schema: { querystring: z.object({ email: z.string(), phone: z.string() }) } },
    async (request) => {
      throw new Error(`lookup of ${request.query.email} / ${request.query.phone} failed`);
    },
  );
}

const personalHeaders = {
  authorization: `Bearer ${PERSON.apiKey}`,
  cookie: `__Host-steward_session=${PERSON.sessionCookie}`,
  'x-forwarded-for': PERSON.clientIp,
  'x-customer-email': PERSON.email,
  'user-agent': `Mozilla/5.0 (${PERSON.firstName} ${PERSON.lastName}'s laptop)`,
};
const personalQuery = `email=${encodeURIComponent(PERSON.email)}&phone=${encodeURIComponent(PERSON.phone)}&card=${PERSON.card}&iban=${PERSON.iban}`;

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp({
    config: { server: { trustProxy: true } },
    beforeReady: mountCustomerRoutes,
  });
  const requests = [
    // Accepted, with personal data in the body, query and headers.
    {
      method: 'POST' as const,
      url: `/example/customers?${personalQuery}`,
      headers: personalHeaders,
      payload: {
        email: PERSON.email,
        firstName: PERSON.firstName,
        lastName: PERSON.lastName,
        phone: PERSON.phone,
        street: PERSON.street,
      },
    },
    // Rejected by the schema (400): the validation message quotes the bad values back to the client only.
    {
      method: 'POST' as const,
      url: `/example/customers?${personalQuery}`,
      headers: personalHeaders,
      payload: {
        email: `${PERSON.firstName} ${PERSON.lastName}`,
        firstName: PERSON.card,
        lastName: PERSON.iban,
        phone: 7,
        street: PERSON.street,
      },
    },
    // Not JSON at all (400).
    {
      method: 'POST' as const,
      url: '/example/customers',
      headers: { ...personalHeaders, 'content-type': 'application/json' },
      payload: `{"email": "${PERSON.email}", "firstName": "${PERSON.firstName}`,
    },
    // Unknown route with the person in the path (404).
    {
      method: 'GET' as const,
      url: `/v1/customers/${encodeURIComponent(PERSON.email)}/cards/${PERSON.card}?${personalQuery}`,
      headers: personalHeaders,
    },
    // A failing handler (500) whose error message carries the input.
    { method: 'GET' as const, url: `/example/customers/lookup?${personalQuery}`, headers: personalHeaders },
    // A health probe: answered, and left out of the log, which it would otherwise flood.
    { method: 'GET' as const, url: '/healthz' },
  ];
  for (const request of requests) await testApp.app.inject(request);
});
after(() => testApp.close());

test(`no personal data from URLs, headers, bodies or errors reaches the log`, () => {
  const log = testApp.logLines.join('\n');
  const variants = Object.values(PERSON).flatMap((value) => [value, encodeURIComponent(value)]);
  for (const value of variants) assert.ok(!log.includes(value), `the log contains ${value}`);
});

test('the log still records each request except health probes, by route pattern and status, and the server fault', () => {
  const entries = testApp.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const completed = entries
    .filter((entry) => entry.msg === 'request completed')
    .map((entry) => [entry.method, entry.route, entry.statusCode]);
  assert.deepEqual(completed, [
    ['POST', '/example/customers', 200],
    ['POST', '/example/customers', 400],
    ['POST', '/example/customers', 400],
    ['GET', 'unmatched', 404],
    ['GET', '/example/customers/lookup', 500],
  ]);
  const fault = entries.find((entry) => entry.msg === 'request failed') as
    { err: { message: string } } | undefined;
  assert.equal(fault?.err.message, 'lookup of [redacted] / [redacted] failed');
});
