import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { checkConsent } from './check-consent.ts';
import { aNewsletterNotice, TEST_ACTOR } from '../test-support/consent-fixtures.ts';
import { recordConsentChanges } from './record-consent.ts';

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp();
  await aNewsletterNotice(testApp.services);
});
after(() => testApp.close());

test(`concurrent gives and withdrawals for one subject: the final state is the last one written`, async () => {
  const { services } = testApp;
  const purpose = 'marketing.communications.email';
  // Twenty writers racing (on PostgreSQL over separate pooled connections).
  await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      recordConsentChanges(services, TEST_ACTOR, [
        {
          subject: 'racer',
          purpose,
          jurisdiction: 'DE',
          action: index % 2 ? 'withdrawn' : 'given',
          source: 'api',
        },
      ]),
    ),
  );
  const { db } = services.database;
  const last = await db
    .selectFrom('consent_ledger')
    .select(['id', 'action', 'occurred_at'])
    .where('subject', '=', 'racer')
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const ledgerTimes = await db
    .selectFrom('consent_ledger')
    .select('occurred_at')
    .where('subject', '=', 'racer')
    .orderBy('position')
    .execute();
  const state = await db
    .selectFrom('consent_state')
    .select(['ledger_id', 'status'])
    .where('subject', '=', 'racer')
    .executeTakeFirstOrThrow();

  assert.equal(ledgerTimes.length, 20);
  const times = ledgerTimes.map((row) => row.occurred_at.getTime());
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
    'ledger order and time order agree',
  );
  assert.equal(state.ledger_id, last.id);
  assert.equal(state.status, last.action === 'withdrawn' ? 'withdrawn' : 'given');
  const decision = await checkConsent(services, 'default', { subject: 'racer', purpose, jurisdiction: 'DE' });
  assert.equal(decision.allowed, last.action !== 'withdrawn');
  const outbox = await db
    .selectFrom('event_outbox')
    .select(['id', 'stream_sequence'])
    .where('subject', '=', 'racer')
    .orderBy('stream_sequence', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [outbox.id, outbox.stream_sequence],
    [last.id, 20],
    'the last event of the subject is the last entry written',
  );
});
