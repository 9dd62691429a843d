import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { aNewsletterNotice, TEST_ACTOR } from '../test-support/consent-fixtures.ts';
import { checkConsent } from './check-consent.ts';
import { consentHistoryForSubject } from './consent-history.ts';
import { importConsents } from './import-consents.ts';
import { recordConsentChanges } from './record-consent.ts';

const NEWSLETTER = 'marketing.communications.email';

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp();
  await aNewsletterNotice(testApp.services);
});
after(() => testApp.close());

/** A CSV export of `count` newsletter sign-ups, one subject each, spread over the last 100 days. */
function aSignUpExport(prefix: string, count: number): string {
  const lines = ['subject,purpose,action,notice,occurred_at'];
  const start = Date.now() - 100 * 86_400_000;
  for (let i = 0; i < count; i++) {
    const day = new Date(start + (i % 100) * 86_400_000).toISOString();
    lines.push(`${prefix}-${i},${NEWSLETTER},given,newsletter,${day}`);
  }
  return lines.join('\n');
}

test(`an import of 25,000 subjects commits every line with its event in one go, while another writer records consents without an error`, async () => {
  const { services } = testApp;
  let importing = true;
  const live = { written: 0, errors: [] as string[] };
  const liveWriter = (async () => {
    while (importing) {
      try {
        await recordConsentChanges(services, TEST_ACTOR, [
          { subject: `live-${live.written}`, purpose: NEWSLETTER, action: 'given', source: 'api' },
        ]);
        live.written++;
      } catch (error) {
        live.errors.push((error as Error).message);
      }
    }
  })();
  const report = await importConsents(services, TEST_ACTOR, aSignUpExport('bulk', 25_000), 'csv').finally(
    () => (importing = false),
  );
  await liveWriter;

  assert.deepEqual(
    [report.committed, report.lines, report.imported, report.rejected],
    [true, 25_000, 25_000, []],
  );
  assert.deepEqual(live.errors, [], 'the concurrent writer never failed');
  assert.ok(live.written > 0, 'the concurrent writer wrote while the import ran');
  const { db } = services.database;
  const counts = await sql<{ ledger: number; state: number; events: number; streams: number }>`
    select
      (select count(*)::int from consent_ledger where subject like 'bulk-%' and source = 'import') as ledger,
      (select count(*)::int from consent_state where subject like 'bulk-%' and status = 'given') as state,
      (select count(*)::int from event_outbox where subject like 'bulk-%' and type = 'consent.given') as events,
      (select count(*)::int from event_streams where stream_key like 'subject:bulk-%' and last_sequence = 1) as streams`.execute(
    db,
  );
  assert.deepEqual(counts.rows[0], { ledger: 25_000, state: 25_000, events: 25_000, streams: 25_000 });
  const decision = await checkConsent(services, 'default', { subject: 'bulk-12345', purpose: NEWSLETTER });
  assert.deepEqual(
    [decision.allowed, decision.reason, decision.consent?.notice],
    [true, 'consent_given', 'newsletter'],
  );
});

test(`imported lines are recorded as if one by one, oldest first: a repeated consent is a renewal, a later withdrawal wins, and a decision recorded later than the file is kept`, async () => {
  const { services } = testApp;
  // Recorded live now: later than anything in the file.
  await recordConsentChanges(services, TEST_ACTOR, [
    { subject: 'cleo', purpose: NEWSLETTER, action: 'withdrawn', source: 'web' },
  ]);
  const jsonl = [
    { subject: 'dan', purpose: NEWSLETTER, action: 'withdrawn', occurredAt: '2025-03-01T09:00:00Z' },
    {
      subject: 'dan',
      purpose: NEWSLETTER,
      action: 'given',
      notice: 'newsletter',
      occurredAt: '2025-01-01T09:00:00Z',
    },
    {
      subject: 'dan',
      purpose: NEWSLETTER,
      action: 'given',
      notice: 'newsletter',
      occurredAt: '2025-02-01T09:00:00Z',
    },
    {
      subject: 'cleo',
      purpose: NEWSLETTER,
      action: 'given',
      notice: 'newsletter',
      occurredAt: '2025-05-01T09:00:00Z',
    },
  ]
    .map((line) => JSON.stringify(line))
    .join('\n');
  const report = await importConsents(services, TEST_ACTOR, jsonl, 'jsonl');
  assert.deepEqual([report.committed, report.imported], [true, 4]);

  const dan = await consentHistoryForSubject(services.database.db, 'default', 'dan');
  assert.deepEqual(
    dan.entries.map((e) => [e.action, e.occurredAt]),
    [
      ['given', '2025-01-01T09:00:00.000Z'],
      ['renewed', '2025-02-01T09:00:00.000Z'],
      ['withdrawn', '2025-03-01T09:00:00.000Z'],
    ],
  );
  assert.equal(
    (await checkConsent(services, 'default', { subject: 'dan', purpose: NEWSLETTER })).allowed,
    false,
  );
  const events = await services.database.db
    .selectFrom('event_outbox')
    .select(['type', 'stream_sequence', 'data'])
    .where('stream_key', '=', 'subject:dan')
    .orderBy('stream_sequence')
    .execute();
  assert.deepEqual(
    events.map((e) => [e.type, e.stream_sequence]),
    [
      ['consent.given', 1],
      ['consent.renewed', 2],
      ['consent.withdrawn', 3],
    ],
  );
  assert.deepEqual(
    (events[0]!.data as unknown as Record<string, unknown>).occurredAt,
    '2025-01-01T09:00:00.000Z',
  );
  // Cleo's import of an old consent is in her history, but her later withdrawal stays in force.
  const cleo = await consentHistoryForSubject(services.database.db, 'default', 'cleo');
  assert.deepEqual(cleo.entries.map((e) => e.action).sort(), ['given', 'withdrawn']);
  assert.equal(
    (await checkConsent(services, 'default', { subject: 'cleo', purpose: NEWSLETTER })).allowed,
    false,
  );
});

test(`an import that fails while writing leaves nothing behind: no ledger entry, no event, no state`, async () => {
  const { services } = testApp;
  const { db } = services.database;
  // A database that refuses the very last step (the current state of one subject) of the import.
  await sql`create function refuse_doomed() returns trigger language plpgsql as $$
    begin if new.subject = 'doomed' then raise exception 'refused by the test'; end if; return new; end $$`.execute(
    db,
  );
  await sql`create trigger refuse_doomed before insert on consent_state for each row execute function refuse_doomed()`.execute(
    db,
  );
  try {
    const csv = `${aSignUpExport('atomic', 3_000)}\ndoomed,${NEWSLETTER},given,newsletter,2025-06-01T00:00:00Z`;
    await assert.rejects(importConsents(services, TEST_ACTOR, csv, 'csv'), /refused by the test/);
  } finally {
    await sql`drop trigger refuse_doomed on consent_state`.execute(db);
    await sql`drop function refuse_doomed()`.execute(db);
  }
  const left = await sql<{ ledger: number; events: number; state: number }>`
    select
      (select count(*)::int from consent_ledger where subject like 'atomic-%' or subject = 'doomed') as ledger,
      (select count(*)::int from event_outbox where subject like 'atomic-%' or subject = 'doomed') as events,
      (select count(*)::int from consent_state where subject like 'atomic-%' or subject = 'doomed') as state`.execute(
    db,
  );
  assert.deepEqual(left.rows[0], { ledger: 0, events: 0, state: 0 });
});

test(`a line naming a notice version that does not exist is rejected with its line number, and nothing is written`, async () => {
  const { services } = testApp;
  const csv = [
    'subject,purpose,action,notice,notice_version',
    `eve,${NEWSLETTER},given,newsletter,7`,
    `fay,${NEWSLETTER},given,newsletter,1`,
  ].join('\n');
  const report = await importConsents(services, TEST_ACTOR, csv, 'csv');
  assert.equal(report.committed, false);
  assert.deepEqual(report.rejected, [{ line: 2, reason: 'notice "newsletter" has no version 7 (latest 1)' }]);
  assert.equal(
    (await checkConsent(services, 'default', { subject: 'fay', purpose: NEWSLETTER })).allowed,
    false,
  );
});
