import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../../test/support/start-dsr-test-app.ts';
import { waitUntil } from '../../../../test/support/wait-until.ts';
import { purgeStewardData } from './steward-data-purge.ts';

const DAY = 86_400_000;
let testApp: DsrTestApp;
let requestId: string;

before(async () => {
  testApp = await startDsrTestApp({ work: true });
  const headers = await testApp.headers('owner');
  // A request from the privacy center, cancelled while it waited for its verification code.
  const submitted = await testApp.app.inject({
    method: 'POST',
    url: '/v1/requests',
    payload: { type: 'access', identities: { email: 'ann@example.com' } },
  });
  assert.equal(submitted.statusCode, 201, submitted.body);
  requestId = submitted.json().id;
  await testApp.smtp.waitForMail('ann@example.com');
  await waitUntil(
    'the code is recorded as sent',
    async () =>
      (
        await testApp.database.db
          .selectFrom('dsr_verification_codes')
          .select('last_issued_at')
          .where('request_id', '=', requestId)
          .executeTakeFirst()
      )?.last_issued_at ?? undefined,
  );
  const cancelled = await testApp.app.inject({
    method: 'POST',
    url: `/v1/requests/${requestId}/cancel`,
    headers,
    payload: { reason: 'the requester asked us by phone to stop' },
  });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
});
after(() => testApp?.close());

const identities = () =>
  testApp.database.db
    .selectFrom('dsr_request_identities')
    .select('value_hash')
    .where('request_id', '=', requestId)
    .execute();

test("a dry run of Steward's own purge counts what is due and changes nothing", async () => {
  const result = await purgeStewardData(testApp.services, {
    dryRun: true,
    now: new Date(Date.now() + 4 * 365 * DAY),
  });
  assert.equal(result.closedRequests, 1);
  assert.equal(result.verificationCodes, 1);
  assert.match(result.logs, /none on disk/);
  assert.equal((await identities()).length, 1);
});

test('before its period a closed request keeps its pseudonymous traces; after it they are purged, once, and audited', async () => {
  const soon = await purgeStewardData(testApp.services, { now: new Date(Date.now() + 30 * DAY) });
  assert.equal(soon.closedRequests, 0, 'closed requests are kept 3 years by default');
  assert.equal(
    soon.verificationCodes,
    1,
    'a code hash of a request that no longer waits for it goes after 7 days',
  );
  assert.equal((await identities()).length, 1);

  const later = await purgeStewardData(testApp.services, { now: new Date(Date.now() + 4 * 365 * DAY) });
  assert.equal(later.closedRequests, 1);
  assert.deepEqual(await identities(), []);
  const request = await testApp.database.db
    .selectFrom('dsr_requests')
    .select(['contact_hash', 'contact_ciphertext', 'purged_at', 'state', 'type'])
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  assert.equal(request.contact_hash, 'purged');
  assert.equal(request.contact_ciphertext, null);
  assert.ok(request.purged_at);
  assert.deepEqual(
    [request.state, request.type],
    ['cancelled', 'access'],
    'what was asked and what became of it stays as the record (Art. 5(2))',
  );
  const reasons = await testApp.database.db
    .selectFrom('dsr_request_history')
    .select('reason')
    .where('request_id', '=', requestId)
    .execute();
  assert.ok(reasons.length > 0 && reasons.every((r) => r.reason === null));
  const audit = await testApp.database.db.selectFrom('audit_pending').select('body').execute();
  assert.ok(audit.some((a) => a.body.includes('"dsr.request.purged"') && a.body.includes(requestId)));

  const again = await purgeStewardData(testApp.services, { now: new Date(Date.now() + 4 * 365 * DAY) });
  assert.deepEqual([again.closedRequests, again.verificationCodes], [0, 0]);
});
