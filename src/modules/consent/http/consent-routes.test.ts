import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Segment, SegmentEncoder, TCModel } from '@iabtcf/core';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { NEWSLETTER_NOTICE_BODY } from '../../../../test/support/notice-bodies.ts';

let testApp: TestApp;
let owner: Record<string, string>;
before(async () => {
  // Webhook signing secrets are sealed with the master key; on PostgreSQL it must be configured.
  process.env.STEWARD_MASTER_KEY ??= randomBytes(32).toString('base64');
  // The webhook test registers a receiver on this machine, which only an allow-list permits.
  testApp = await startTestApp({ config: { events: { webhookAllowedNetworks: ['127.0.0.1'] } } });
  owner = await testApp.headers('owner');
});
after(() => testApp.close());

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await testApp.app.inject({
    method,
    url,
    headers: { ...owner, ...headers },
    ...(payload !== undefined ? { payload: payload as string } : {}),
  });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

/** A TCF v2.2 core string (policy version 4) consenting to purposes 1–3 and vendor 755. */
function aTcString(vendors: number[] = [755]): string {
  const model = new TCModel();
  model.cmpId = 10;
  model.cmpVersion = 2;
  model.consentLanguage = 'EN';
  model.publisherCountryCode = 'DE';
  model.vendorListVersion = 150;
  model.policyVersion = 4;
  model.isServiceSpecific = true;
  model.purposeConsents.set([1, 2, 3]);
  model.vendorConsents.set(vendors);
  model.created = new Date('2026-11-01T00:00:00Z');
  model.lastUpdated = new Date('2026-11-02T00:00:00Z');
  // Encoded segment by segment: the full encoder insists on a Global Vendor List we cannot download.
  return SegmentEncoder.encode(model, Segment.CORE);
}

test(`a 60-byte TC string consenting to every vendor is stored and returned about as small, as ranges, and still answers vendor checks`, async () => {
  const everyVendor = aTcString(Array.from({ length: 65_535 }, (_, i) => i + 1));
  assert.ok(everyVendor.length < 100, `the string itself is ${everyVendor.length} bytes`);
  const recorded = await call('POST', '/v1/consent/tcf', {
    subject: 'user-all-vendors',
    tcString: everyVendor,
  });
  assert.equal(recorded.status, 201);
  assert.deepEqual(recorded.body.record.vendorConsents, [[1, 65_535]]);
  assert.ok(
    JSON.stringify(recorded.body).length < 2_000,
    `answered with ${JSON.stringify(recorded.body).length} bytes`,
  );
  const { rows } = await sql<{ bytes: number }>`
    select pg_column_size(t.*) as bytes from consent_tcf_records t where id = ${recorded.body.record.id}`.execute(
    testApp.database.db,
  );
  assert.ok(rows[0]!.bytes < 2_000, `stored in ${rows[0]!.bytes} bytes`);
  const history = await call('GET', '/v1/consent/subjects/user-all-vendors/history');
  assert.ok(
    JSON.stringify(history.body).length < 2_000,
    `history of ${JSON.stringify(history.body).length} bytes`,
  );
  const checks = await Promise.all(
    ['tcf.vendor.1', 'tcf.vendor.4242', 'tcf.vendor.65535', 'tcf.vendor.65536'].map((purpose) =>
      call('GET', `/v1/consent/check?subject=user-all-vendors&purpose=${purpose}`),
    ),
  );
  assert.deepEqual(
    checks.map((c) => c.body.allowed),
    [true, true, true, false],
  );
});

test(`notices are versioned when their text changes, and consents name the version, over HTTP`, async () => {
  const created = await call('POST', '/v1/consent/notices', NEWSLETTER_NOTICE_BODY);
  assert.equal(created.status, 201);
  assert.equal(created.body.notice.version, 1);
  const same = await call('PUT', '/v1/consent/notices/newsletter', {
    ...NEWSLETTER_NOTICE_BODY,
    key: undefined,
    purpose: undefined,
  });
  assert.equal(same.body.notice.version, 1, 'unchanged content is no new version');
  const changed = await call('PUT', '/v1/consent/notices/newsletter', {
    title: 'Newsletter',
    text: 'A weekly email about our products and offers.',
    legalBasis: 'consent',
    mechanism: 'opt_in',
    regions: ['EU'],
  });
  assert.equal(changed.body.notice.version, 2);
  const versions = await call('GET', '/v1/consent/notices/newsletter/versions');
  assert.deepEqual(
    versions.body.versions.map((v: { version: number }) => v.version),
    [1, 2],
  );

  const recorded = await call('POST', '/v1/consent/records', {
    subject: 'user-1',
    jurisdiction: 'FR',
    source: 'web',
    changes: [{ purpose: 'marketing.communications.email', action: 'given' }],
  });
  assert.equal(recorded.status, 201);
  assert.deepEqual(
    [recorded.body.entries[0].notice, recorded.body.entries[0].noticeVersion],
    ['newsletter', 2],
  );

  const check = await call(
    'GET',
    '/v1/consent/check?subject=user-1&purpose=marketing.communications.email&jurisdiction=FR',
  );
  assert.deepEqual(
    [check.status, check.body.allowed, check.body.reason, check.body.consent.noticeVersion],
    [200, true, 'consent_given', 2],
  );
  const batch = await call('POST', '/v1/consent/check', {
    checks: [
      { subject: 'user-1', purpose: 'marketing.communications.email' },
      { subject: 'user-2', purpose: 'marketing.communications.email' },
    ],
  });
  assert.deepEqual(
    batch.body.results.map((r: { allowed: boolean; reason: string }) => [r.allowed, r.reason]),
    [
      [true, 'consent_given'],
      [false, 'never_given'],
    ],
  );
});

test(`Sec-GPC: 1 on a consent call records an opt-out of sale and sharing, and /.well-known/gpc.json is served`, async () => {
  await call('POST', '/v1/consent/notices', {
    key: 'dns',
    purpose: 'ccpa.sale_sharing',
    title: 'Do Not Sell or Share',
    text: 'We share identifiers with ad partners.',
    legalBasis: 'ccpa_notice_at_collection',
    mechanism: 'opt_out',
    regions: ['US'],
  });
  const before = await call(
    'GET',
    '/v1/consent/check?subject=user-9&purpose=ccpa.sale_sharing&jurisdiction=US-CA',
  );
  assert.deepEqual([before.body.allowed, before.body.reason], [true, 'not_opted_out']);

  await call('GET', '/v1/consent/subjects/user-9/history', undefined, { 'sec-gpc': '1' });

  const after = await call(
    'GET',
    '/v1/consent/check?subject=user-9&purpose=ccpa.sale_sharing&jurisdiction=US-CA',
  );
  assert.deepEqual([after.body.allowed, after.body.reason], [false, 'gpc_opt_out']);
  const wellKnown = await testApp.app.inject({ method: 'GET', url: '/.well-known/gpc.json' });
  assert.deepEqual(wellKnown.json(), { gpc: true, lastUpdate: '2026-11-29' });
});

test(`a TC string is decoded without a vendor list and answers TCF checks; an invalid one is a 400 with the reason`, async () => {
  const tcString = aTcString();
  const recorded = await call('POST', '/v1/consent/tcf', { subject: 'user-3', tcString });
  assert.equal(recorded.status, 201);
  assert.deepEqual(
    [
      recorded.body.record.policyVersion,
      recorded.body.record.purposeConsents,
      recorded.body.record.vendorConsents,
      recorded.body.record.tcString,
    ],
    [4, [1, 2, 3], [[755, 755]], tcString],
  );
  const purpose = await call('GET', '/v1/consent/check?subject=user-3&purpose=tcf.purpose.3');
  const vendor = await call('GET', '/v1/consent/check?subject=user-3&purpose=tcf.vendor.42');
  assert.deepEqual(
    [purpose.body.allowed, vendor.body.allowed, vendor.body.reason],
    [true, false, 'tcf_no_consent'],
  );

  const invalid = await call('POST', '/v1/consent/tcf', { subject: 'user-3', tcString: 'not-a-tc-string!' });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.code, 'consent.tcf_invalid');
  assert.match(invalid.body.detail, /not a valid IAB TCF v2.2 string: .+/);
});

test(`a CSV import with a bad line imports nothing and reports every rejected line; skipInvalid imports the rest`, async () => {
  const csv = [
    'subject,purpose,action,notice,occurred_at',
    'imp-1,marketing.communications.email,given,newsletter,2026-06-01T10:00:00Z',
    'imp-2,marketing.comunications.email,given,newsletter,2026-06-01T10:00:00Z',
    'imp-3,marketing.communications.email,maybe,newsletter,2026-06-01T10:00:00Z',
    'imp-4,marketing.communications.email,withdrawn,,2026-06-02T10:00:00Z',
  ].join('\n');
  const strict = await call('POST', '/v1/consent/import', csv, { 'content-type': 'text/csv' });
  assert.equal(strict.status, 422);
  assert.deepEqual(
    strict.body.rejected.map((r: { line: number }) => r.line),
    [3, 4],
  );
  assert.match(strict.body.rejected[0].reason, /not a data use/);
  assert.match(strict.body.rejected[1].reason, /action "maybe"/);
  assert.equal(
    (await call('GET', '/v1/consent/check?subject=imp-1&purpose=marketing.communications.email')).body.reason,
    'never_given',
  );

  const lenient = await call('POST', '/v1/consent/import?skipInvalid=true', csv, {
    'content-type': 'text/csv',
  });
  assert.deepEqual([lenient.status, lenient.body.imported, lenient.body.committed], [201, 2, true]);
  const history = await call('GET', '/v1/consent/subjects/imp-1/history');
  assert.deepEqual(
    history.body.entries.map((e: { action: string; source: string; occurredAt: string }) => [
      e.action,
      e.source,
      e.occurredAt,
    ]),
    [['given', 'import', '2026-06-01T10:00:00.000Z']],
  );

  const asJson = await call('POST', '/v1/consent/import', { subject: 'imp-1' });
  assert.equal(asJson.status, 415);
  assert.match(asJson.body.detail, /send it as text\/csv or application\/x-ndjson .*not application\/json/);
});

test(`webhooks need events:write; an auditor may list but not register them`, async () => {
  const created = await call('POST', '/v1/webhooks', {
    url: 'http://127.0.0.1:9/hook',
    eventTypes: ['consent.*'],
  });
  assert.equal(created.status, 201);
  assert.match(created.body.webhook.secret, /^whsec_/);
  const auditor = await testApp.headers('auditor');
  const listed = await testApp.app.inject({ method: 'GET', url: '/v1/webhooks', headers: auditor });
  assert.equal(listed.statusCode, 200);
  assert.equal(listed.json().webhooks[0].secret, undefined, 'the secret is never listed');
  const refused = await testApp.app.inject({
    method: 'POST',
    url: '/v1/webhooks',
    headers: auditor,
    payload: { url: 'http://127.0.0.1:9/other' },
  });
  assert.equal(refused.statusCode, 403);
  const removed = await call('DELETE', `/v1/webhooks/${created.body.webhook.id}`);
  assert.equal(removed.status, 204);
});
