import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { checkConsent } from './check-consent.ts';
import { aNewsletterNotice, aSaleAndSharingNotice, TEST_ACTOR } from '../test-support/consent-fixtures.ts';
import { consentHistoryForSubject } from './consent-history.ts';
import { recordConsentChanges } from './record-consent.ts';

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp();
  await aNewsletterNotice(testApp.services);
  await aSaleAndSharingNotice(testApp.services);
});
after(() => testApp.close());

const newsletter = { purpose: 'marketing.communications.email', jurisdiction: 'DE' };

test(`consent given to a notice allows the purpose, naming the consent and notice version`, async () => {
  const { services } = testApp;
  const [entry] = await recordConsentChanges(services, TEST_ACTOR, [
    {
      subject: 'ada@example.org',
      ...newsletter,
      action: 'given',
      source: 'web',
      proof: { ipAddress: '203.0.113.9', userAgent: 'Firefox/140' },
    },
  ]);
  const decision = await checkConsent(services, 'default', { subject: 'ada@example.org', ...newsletter });
  assert.equal(decision.allowed, true);
  assert.equal(decision.reason, 'consent_given');
  assert.equal(decision.legalBasis, 'consent');
  assert.deepEqual(
    [decision.consent?.id, decision.consent?.notice, decision.consent?.noticeVersion],
    [entry!.id, 'newsletter', 1],
  );
  // Proof is kept as keyed hashes only.
  const stored = await services.database.db
    .selectFrom('consent_ledger')
    .select('proof')
    .where('id', '=', entry!.id)
    .executeTakeFirstOrThrow();
  assert.ok(stored.proof?.ipHash && stored.proof.userAgentHash);
  assert.doesNotMatch(JSON.stringify(stored.proof), /203\.0\.113\.9|Firefox/);
});

test(`a withdrawal takes effect at once, also for a subject whose answer was cached`, async () => {
  const { services } = testApp;
  await recordConsentChanges(services, TEST_ACTOR, [
    { subject: 'bea@example.org', ...newsletter, action: 'given', source: 'api' },
  ]);
  assert.equal(
    (await checkConsent(services, 'default', { subject: 'bea@example.org', ...newsletter })).allowed,
    true,
  );
  assert.equal(
    (await checkConsent(services, 'default', { subject: 'bea@example.org', ...newsletter })).allowed,
    true,
    'second answer from the cache',
  );

  await recordConsentChanges(services, TEST_ACTOR, [
    { subject: 'bea@example.org', ...newsletter, action: 'withdrawn', source: 'web' },
  ]);

  const decision = await checkConsent(services, 'default', { subject: 'bea@example.org', ...newsletter });
  assert.deepEqual([decision.allowed, decision.reason], [false, 'withdrawn']);
  const outbox = await services.database.db
    .selectFrom('event_outbox')
    .select(['type', 'topic'])
    .where('subject', '=', 'bea@example.org')
    .orderBy('position')
    .execute();
  assert.deepEqual(outbox, [
    { type: 'consent.given', topic: 'consent.marketing.communications.email' },
    { type: 'consent.withdrawn', topic: 'consent.marketing.communications.email' },
  ]);
});

test(`the answer says why not: never given, no notice for the purpose, opt-out not exercised`, async () => {
  const { services } = testApp;
  const never = await checkConsent(services, 'default', { subject: 'cy@example.org', ...newsletter });
  assert.deepEqual([never.allowed, never.reason], [false, 'never_given']);
  const noNotice = await checkConsent(services, 'default', {
    subject: 'cy@example.org',
    purpose: 'marketing.advertising.profiling',
  });
  assert.deepEqual([noNotice.allowed, noNotice.reason], [false, 'no_notice']);
  const optOut = await checkConsent(services, 'default', {
    subject: 'cy@example.org',
    purpose: 'ccpa.sale_sharing',
    jurisdiction: 'US-CA',
  });
  assert.deepEqual(
    [optOut.allowed, optOut.reason, optOut.legalBasis],
    [true, 'not_opted_out', 'ccpa_notice_at_collection'],
  );
});

test(`giving again while valid is a renewal, and the whole history is exportable`, async () => {
  const { services } = testApp;
  for (const action of ['given', 'given', 'withdrawn'] as const) {
    await recordConsentChanges(services, TEST_ACTOR, [
      { subject: 'dan@example.org', ...newsletter, action, source: 'web' },
    ]);
  }
  const history = await consentHistoryForSubject(services.database.db, 'default', 'dan@example.org');
  assert.deepEqual(
    history.entries.map((e) => e.action),
    ['given', 'renewed', 'withdrawn'],
  );
  assert.deepEqual(
    history.current.map((c) => [c.purpose, c.status]),
    [['marketing.communications.email', 'withdrawn']],
  );
});

test(`the ledger refuses UPDATE, DELETE and TRUNCATE in the database itself`, async () => {
  const { db } = testApp.services.database;
  await recordConsentChanges(testApp.services, TEST_ACTOR, [
    { subject: 'eve@example.org', ...newsletter, action: 'given', source: 'web' },
  ]);
  await assert.rejects(sql`update consent_ledger set action = 'withdrawn'`.execute(db), /append-only/);
  await assert.rejects(sql`delete from consent_ledger`.execute(db), /append-only/);
  await assert.rejects(sql`truncate consent_ledger cascade`.execute(db), /append-only/);
});

test(`an unknown purpose is refused with a suggestion from the taxonomy`, async () => {
  await assert.rejects(
    recordConsentChanges(testApp.services, TEST_ACTOR, [
      { subject: 'x', purpose: 'marketing.comunications.email', action: 'given', source: 'api' },
    ]),
    (error: Error & { code?: string; details?: { suggestions?: string[] } }) =>
      error.code === 'consent.unknown_purpose' &&
      error.details?.suggestions?.includes('marketing.communications.email') === true,
  );
});
