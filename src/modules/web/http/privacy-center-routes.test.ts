import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSmtpTestServer, type SmtpTestServer } from '../../../../test/support/smtp-test-server.ts';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { SUBJECT_COOKIE } from './privacy-center-routes.ts';

const PRIVACY_CENTER = { 'x-steward-privacy-center': '1' };

describe('the privacy center API on PostgreSQL, mailing through a real SMTP server', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;

  before(async () => {
    smtp = await startSmtpTestServer();
    t = await startTestApp({
      config: {
        dsr: { smtp: { host: smtp.host, port: smtp.port } },
        web: {
          privacyCenters: {
            default: {
              title: { en: 'Shop privacy', de: 'Datenschutz im Shop' },
              primaryColor: '#0b6e4f',
              logoUrl: 'https://cdn.example.com/logo.svg',
              actions: [
                { type: 'access', identityInputs: { phone: 'optional' } },
                { type: 'opt_out', identityInputs: { email: 'required' } },
              ],
            },
          },
        },
      },
    });
    const owner = await t.headers('owner');
    for (const notice of [
      {
        key: 'newsletter',
        purpose: 'marketing.communications.email',
        title: 'Newsletter',
        text: 'Offers by e-mail.',
        legalBasis: 'consent',
        mechanism: 'opt_in',
      },
      {
        key: 'do-not-sell',
        purpose: 'ccpa.sale_sharing',
        title: 'Do not sell',
        text: 'Sale and sharing.',
        legalBasis: 'ccpa_notice_at_collection',
        mechanism: 'opt_out',
      },
    ]) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/v1/consent/notices',
        headers: owner,
        payload: notice,
      });
      assert.equal(created.statusCode, 201, created.body);
    }
  });
  after(async () => {
    await t?.close();
    await smtp?.close();
  });

  /** The subject cookie a response set, as the browser would send it back. */
  function cookieOf(response: { headers: Record<string, unknown> }): string {
    const header = ([] as string[]).concat(
      (response.headers['set-cookie'] as string | string[] | undefined) ?? [],
    );
    const cookie = header.find((line) => line.startsWith(`${SUBJECT_COOKIE}=`));
    assert.ok(cookie, `a ${SUBJECT_COOKIE} cookie in ${header.join(' | ')}`);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /Secure/i);
    assert.match(cookie, /SameSite=Strict/i);
    return cookie.split(';')[0]!;
  }

  async function verifiedCookie(email: string, headers: Record<string, string> = {}): Promise<string> {
    const before = smtp.messages.length;
    const codes = await t.app.inject({
      method: 'POST',
      url: '/v1/privacy-center/consent/codes',
      headers,
      payload: { email },
    });
    assert.equal(codes.statusCode, 202, codes.body);
    const mail = await smtp.waitForMail(email.trim().toLowerCase(), { afterCount: before });
    const code = /(\d{6})/.exec(mail.subject)![1]!;
    const session = await t.app.inject({
      method: 'POST',
      url: '/v1/privacy-center/consent/session',
      headers,
      payload: { challengeId: codes.json().challengeId, email, code },
    });
    assert.equal(session.statusCode, 200, session.body);
    return cookieOf(session);
  }

  test("the tenant's settings: its texts, colour, logo and request types, each asking for email", async () => {
    const response = await t.app.inject({ method: 'GET', url: '/v1/privacy-center/config' });
    assert.equal(response.statusCode, 200, response.body);
    const config = response.json();
    assert.deepEqual(config.title, { en: 'Shop privacy', de: 'Datenschutz im Shop' });
    assert.equal(config.primaryColor, '#0b6e4f');
    assert.deepEqual(
      config.actions.map((a: { type: string; identityInputs: object }) => [a.type, a.identityInputs]),
      [
        ['access', { phone: 'optional', email: 'required' }],
        ['opt_out', { email: 'required' }],
      ],
    );
    assert.equal(config.consentNotices, 2);
    const page = await t.app.inject({ method: 'GET', url: '/privacy' });
    assert.match(
      String(page.headers['content-security-policy'] ?? ''),
      /img-src 'self' data: https:\/\/cdn\.example\.com/,
    );
  });

  test('a tenant without settings gets every right; an unknown tenant is refused', async () => {
    await t.headers('owner', 'acme');
    const acme = await t.app.inject({
      method: 'GET',
      url: '/v1/privacy-center/config',
      headers: { 'x-steward-tenant': 'acme' },
    });
    assert.equal(acme.statusCode, 200, acme.body);
    assert.equal(acme.json().actions.length, 10);
    assert.equal(acme.json().title, undefined, 'the app shows its own translated title');
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/v1/privacy-center/config',
      headers: { 'x-steward-tenant': 'nope' },
    });
    assert.equal(unknown.statusCode, 400);
  });

  test('a request filed publicly shows its state and deadline by its reference, nothing more', async () => {
    const filed = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: { type: 'access', identities: { email: 'carla@example.com' } },
    });
    assert.equal(filed.statusCode, 201, filed.body);
    const status = await t.app.inject({
      method: 'GET',
      url: `/v1/privacy-center/requests/${filed.json().id}`,
    });
    assert.equal(status.statusCode, 200, status.body);
    assert.deepEqual(Object.keys(status.json()).sort(), [
      'dueAt',
      'id',
      'receivedAt',
      'regime',
      'state',
      'type',
    ]);
    assert.doesNotMatch(status.body, /carla/);
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/v1/privacy-center/requests/6b1f6c34-8b7a-4a53-9a57-3c2d4d1e0f00',
    });
    assert.equal(unknown.statusCode, 404);
  });

  test('consent is shown and changed only after the mailed code; a withdrawal reaches the check API', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/privacy-center/consent' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'web.subject_not_verified');
    const cookie = await verifiedCookie(' Dora@Example.com ');
    const mail = smtp.messages.at(-1)!;
    assert.doesNotMatch(mail.text, /dora/i, 'the mail does not repeat the address');

    const read = await t.app.inject({
      method: 'GET',
      url: '/v1/privacy-center/consent',
      headers: { cookie },
    });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().subject, 'dora@example.com');
    assert.deepEqual(
      read.json().notices.map((n: { key: string; status: string }) => [n.key, n.status]),
      [
        ['do-not-sell', 'not_set'],
        ['newsletter', 'not_set'],
      ],
    );

    const withoutHeader = await t.app.inject({
      method: 'PUT',
      url: '/v1/privacy-center/consent',
      headers: { cookie },
      payload: { changes: [{ notice: 'newsletter', action: 'given' }] },
    });
    assert.equal(
      withoutHeader.statusCode,
      403,
      'changes need the privacy-center header (no cross-site form can send it)',
    );

    const given = await t.app.inject({
      method: 'PUT',
      url: '/v1/privacy-center/consent',
      headers: { cookie, ...PRIVACY_CENTER },
      payload: { changes: [{ notice: 'newsletter', action: 'given' }] },
    });
    assert.equal(given.statusCode, 200, given.body);
    const withdrawn = await t.app.inject({
      method: 'PUT',
      url: '/v1/privacy-center/consent',
      headers: { cookie, ...PRIVACY_CENTER },
      payload: { changes: [{ notice: 'newsletter', action: 'withdrawn' }] },
    });
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.equal(
      withdrawn.json().notices.find((n: { key: string }) => n.key === 'newsletter').status,
      'withdrawn',
    );
    assert.deepEqual(
      withdrawn
        .json()
        .history.map((e: { action: string; source: string; notice: string }) => [
          e.notice,
          e.action,
          e.source,
        ]),
      [
        ['newsletter', 'given', 'web'],
        ['newsletter', 'withdrawn', 'web'],
      ],
    );
    const check = await t.app.inject({
      method: 'GET',
      url: '/v1/consent/check?subject=dora@example.com&purpose=marketing.communications.email',
      headers: await t.headers('owner'),
    });
    assert.equal(check.json().allowed, false);
    assert.equal(check.json().reason, 'withdrawn');
  });

  test('Global Privacy Control: the opt-out is recorded on the first visit with the signal, shown, and wins over opting back in', async () => {
    const cookie = await verifiedCookie('eve@example.com');
    const first = await t.app.inject({
      method: 'GET',
      url: '/v1/privacy-center/consent',
      headers: { cookie, 'sec-gpc': '1' },
    });
    assert.deepEqual(first.json().gpc, { signal: true, optedOut: true, recordedNow: true });
    const again = await t.app.inject({
      method: 'GET',
      url: '/v1/privacy-center/consent',
      headers: { cookie, 'sec-gpc': '1' },
    });
    assert.deepEqual(again.json().gpc, { signal: true, optedOut: true, recordedNow: false });
    const optIn = await t.app.inject({
      method: 'PUT',
      url: '/v1/privacy-center/consent',
      headers: { cookie, 'sec-gpc': '1', ...PRIVACY_CENTER },
      payload: { changes: [{ notice: 'do-not-sell', action: 'given' }] },
    });
    assert.equal(optIn.statusCode, 409);
    assert.equal(optIn.json().code, 'web.gpc_conflict');
  });

  test('a wrong code counts, five wrong codes burn the challenge, and a sixth code an hour is refused', async () => {
    const email = 'fred@example.com';
    const codes = await t.app.inject({
      method: 'POST',
      url: '/v1/privacy-center/consent/codes',
      payload: { email },
    });
    const { challengeId } = codes.json();
    await smtp.waitForMail(email);
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/v1/privacy-center/consent/session',
        payload: { challengeId, email, code: '000000x' },
      });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().code, 'web.code_wrong');
    }
    const burnt = await t.app.inject({
      method: 'POST',
      url: '/v1/privacy-center/consent/session',
      payload: { challengeId, email, code: '123456' },
    });
    assert.equal(burnt.statusCode, 403);
    assert.equal(burnt.json().code, 'web.code_exhausted');
    const otherAddress = await t.app.inject({
      method: 'POST',
      url: '/v1/privacy-center/consent/session',
      payload: { challengeId, email: 'mallory@example.com', code: '123456' },
    });
    assert.notEqual(otherAddress.statusCode, 200);
    for (let sent = 1; sent < 5; sent++) {
      const more = await t.app.inject({
        method: 'POST',
        url: '/v1/privacy-center/consent/codes',
        payload: { email },
      });
      assert.equal(more.statusCode, 202);
    }
    const flood = await t.app.inject({
      method: 'POST',
      url: '/v1/privacy-center/consent/codes',
      payload: { email },
    });
    assert.equal(flood.statusCode, 429);
    assert.equal(flood.json().code, 'web.too_many_codes');
  });
});
