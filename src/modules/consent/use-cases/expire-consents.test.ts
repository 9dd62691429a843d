import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { checkConsent } from './check-consent.ts';
import { aNewsletterNotice, TEST_ACTOR } from '../test-support/consent-fixtures.ts';
import { expireConsents } from './expire-consents.ts';
import { recordConsentChanges } from './record-consent.ts';

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp({ config: { consent: { reminderLeadDays: 30 } } as never });
  // A notice whose consents last one month.
  await aNewsletterNotice(testApp.services, { validityMonths: 1 });
});
after(() => testApp.close());

const purpose = 'marketing.communications.email';

test(`consents past their validity expire with a ledger entry and consent.expired; reminders come first, once`, async () => {
  const { services } = testApp;
  const given = new Date(Date.now() - 20 * 86_400_000);
  const old = new Date(Date.now() - 40 * 86_400_000);
  await recordConsentChanges(services, TEST_ACTOR, [
    { subject: 'soon', purpose, jurisdiction: 'DE', action: 'given', source: 'import', occurredAt: given },
    { subject: 'lapsed', purpose, jurisdiction: 'DE', action: 'given', source: 'import', occurredAt: old },
  ]);
  assert.equal(
    (await checkConsent(services, 'default', { subject: 'lapsed', purpose })).reason,
    'expired',
    'a lapsed consent is refused even before the job runs',
  );

  const first = await expireConsents(services);
  const second = await expireConsents(services);

  assert.deepEqual(first, { expired: 1, reminded: 1 });
  assert.deepEqual(second, { expired: 0, reminded: 0 }, 'a second run finds nothing left');
  const { db } = services.database;
  const lapsed = await db
    .selectFrom('consent_ledger')
    .select('action')
    .where('subject', '=', 'lapsed')
    .orderBy('position')
    .execute();
  assert.deepEqual(
    lapsed.map((e) => e.action),
    ['given', 'expired'],
  );
  const events = await db
    .selectFrom('event_outbox')
    .select(['type', 'subject'])
    .where('type', 'in', ['consent.expired', 'consent.expiring'])
    .orderBy('position')
    .execute();
  assert.deepEqual(events, [
    { type: 'consent.expired', subject: 'lapsed' },
    { type: 'consent.expiring', subject: 'soon' },
  ]);
  const decision = await checkConsent(services, 'default', { subject: 'lapsed', purpose });
  assert.deepEqual([decision.allowed, decision.reason], [false, 'expired']);
});
