import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createStewardClient, StewardApiError, unwrap, type StewardClient } from '#steward-sdk';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { NEWSLETTER_NOTICE_BODY } from '../../../../test/support/notice-bodies.ts';

/**
 * Consent as an integrator's service sees it: the typed SDK against a running Steward, with the keys
 * of the roles that service would hold (a CMP backend records, a shop checks).
 */
describe('consent through the SDK', () => {
  let t: TestApp;
  let officer: StewardClient;
  let shop: StewardClient;

  before(async () => {
    t = await startTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const keyOf = async (role: string) => (await t.headers(role)).authorization!.slice('Bearer '.length);
    officer = createStewardClient({ baseUrl, apiKey: await keyOf('privacy_officer') });
    shop = createStewardClient({ baseUrl, apiKey: await keyOf('request_agent') });
  });
  after(() => t?.close());

  test('a notice, a consent given and withdrawn: the check follows, and the history names the notice version of each', async () => {
    const { notice } = await unwrap(
      officer.POST('/v1/consent/notices', {
        body: NEWSLETTER_NOTICE_BODY,
      }),
    );
    assert.equal(notice.version, 1);
    const check = () =>
      unwrap(
        shop.GET('/v1/consent/check', {
          params: { query: { subject: 'customer-1042', purpose: 'marketing.communications.email' } },
        }),
      );
    assert.deepEqual([(await check()).allowed, (await check()).reason], [false, 'never_given']);

    await unwrap(
      officer.POST('/v1/consent/records', {
        body: {
          subject: 'customer-1042',
          changes: [{ purpose: 'marketing.communications.email', action: 'given', notice: 'newsletter' }],
        },
      }),
    );
    const given = await check();
    assert.deepEqual([given.allowed, given.reason, given.consent?.noticeVersion], [true, 'consent_given', 1]);

    await unwrap(
      officer.POST('/v1/consent/records', {
        body: {
          subject: 'customer-1042',
          changes: [{ purpose: 'marketing.communications.email', action: 'withdrawn' }],
        },
      }),
    );
    assert.deepEqual([(await check()).allowed, (await check()).reason], [false, 'withdrawn']);

    const history = await unwrap(
      officer.GET('/v1/consent/subjects/{subject}/history', {
        params: { path: { subject: 'customer-1042' } },
      }),
    );
    assert.deepEqual(
      history.entries.map((entry) => [entry.action, entry.notice, entry.noticeVersion]),
      [
        ['given', 'newsletter', 1],
        ['withdrawn', 'newsletter', 1],
      ],
    );
  });

  test('a check of a mistyped purpose still fails closed, and says the purpose is unknown with the nearest ones', async () => {
    const answer = await unwrap(
      shop.GET('/v1/consent/check', {
        params: { query: { subject: 'customer-1042', purpose: 'marketing.communications.emial' } },
      }),
    );
    assert.equal(answer.allowed, false);
    assert.equal(
      answer.explanation,
      'Purpose "marketing.communications.emial" is not a data use in the taxonomy (nor a CCPA or TCF purpose), so nothing allows it. Did you mean "marketing.communications.email"?',
    );
    const known = await unwrap(
      shop.GET('/v1/consent/check', {
        params: { query: { subject: 'customer-1042', purpose: 'analytics.reporting' } },
      }),
    );
    assert.match(known.explanation, /^No privacy notice covers purpose analytics\.reporting/);
  });

  test('a key without the permission gets a typed problem: status, code and the sentence to act on', async () => {
    const refused = await unwrap(
      shop.POST('/v1/consent/records', {
        body: { subject: 'customer-1042', changes: [{ purpose: 'analytics.reporting', action: 'given' }] },
      }),
    ).catch((error: unknown) => error);
    assert.ok(refused instanceof StewardApiError);
    assert.deepEqual(
      [refused.status, refused.code, refused.type, refused.details.permission],
      [403, 'auth.permission_missing', 'https://steward.dev/problems/forbidden', 'consent:write'],
    );
  });
});
