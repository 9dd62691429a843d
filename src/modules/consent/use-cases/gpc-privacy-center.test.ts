import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../../test/support/start-dsr-test-app.ts';

let t: DsrTestApp;
let owner: Record<string, string>;
before(async () => {
  t = await startDsrTestApp();
  owner = await t.headers('owner');
  const notice = {
    key: 'dns',
    purpose: 'ccpa.sale_sharing',
    title: 'Do Not Sell or Share',
    text: 'We share identifiers with ad partners.',
    legalBasis: 'ccpa_notice_at_collection',
    mechanism: 'opt_out',
    regions: ['US'],
  };
  assert.equal(
    (await t.app.inject({ method: 'POST', url: '/v1/consent/notices', headers: owner, payload: notice }))
      .statusCode,
    201,
  );
});
after(() => t.close());

const saleAndSharing = async (subject: string) =>
  (
    await t.app.inject({
      url: `/v1/consent/check?subject=${encodeURIComponent(subject)}&purpose=ccpa.sale_sharing&jurisdiction=US-CA`,
      headers: owner,
    })
  ).json();

test(`a privacy-center request sent with Sec-GPC: 1 records an opt-out of sale and sharing for each identity given, before verification`, async () => {
  const submitted = await t.app.inject({
    method: 'POST',
    url: '/v1/requests',
    headers: { 'sec-gpc': '1', 'user-agent': 'Firefox/140' },
    payload: { type: 'know', identities: { email: 'Nora@Example.com', user_id: 'u-4711' } },
  });
  assert.equal(submitted.statusCode, 201, submitted.body);
  assert.equal(submitted.json().state, 'received', 'the request itself still waits for the emailed code');

  for (const subject of ['nora@example.com', 'u-4711']) {
    const decision = await saleAndSharing(subject);
    assert.deepEqual(
      [decision.allowed, decision.reason, decision.consent?.source],
      [false, 'gpc_opt_out', 'gpc'],
      subject,
    );
  }
  const ledger = await t.database.db
    .selectFrom('consent_ledger')
    .select(['subject', 'action', 'source', 'actor_kind', 'proof'])
    .where('purpose', '=', 'ccpa.sale_sharing')
    .orderBy('subject')
    .execute();
  assert.deepEqual(
    ledger.map((e) => [e.subject, e.action, e.source, e.actor_kind]),
    [
      ['nora@example.com', 'withdrawn', 'gpc', 'anonymous'],
      ['u-4711', 'withdrawn', 'gpc', 'anonymous'],
    ],
  );
  assert.ok(
    ledger.every((e) => e.proof !== null && !JSON.stringify(e.proof).includes('Firefox')),
    'proof of the signal kept as hashes only',
  );
});

test(`without the signal, or from an agent, the intake records no opt-out`, async () => {
  const plain = await t.app.inject({
    method: 'POST',
    url: '/v1/requests',
    payload: { type: 'know', identities: { email: 'olga@example.com' } },
  });
  assert.equal(plain.statusCode, 201, plain.body);
  const byAgent = await t.app.inject({
    method: 'POST',
    url: '/v1/requests',
    headers: { ...(await t.headers('request_agent')), 'sec-gpc': '1' },
    payload: { type: 'know', identities: { email: 'paul@example.com' }, identityVerified: true },
  });
  assert.equal(byAgent.statusCode, 201, byAgent.body);
  for (const subject of ['olga@example.com', 'paul@example.com'])
    assert.equal((await saleAndSharing(subject)).reason, 'not_opted_out', subject);
});
