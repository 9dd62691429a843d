// Without a mail server, requester mail can be kept in Steward's outbox (dsr.outbox; on with the
// demo when dsr.smtp is not set): a request is verified end to end with the code read from there.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../../../test/support/test-app.ts';
import { waitUntil } from '../../../../../test/support/wait-until.ts';
import { dsrOwnDataRetention } from '../purge-own-data.ts';
import { listOutboxMail } from './mail-outbox.ts';

const CODE = /code: (\d{6})/;

describe('the local mail outbox', () => {
  let t: TestApp;
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'steward-outbox-'));
    // No dsr.smtp: with the outbox off this would try 127.0.0.1:587.
    t = await startTestApp({ work: true, config: { dsr: { dataDir, outbox: true } } });
  });
  after(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('keeps the one-time code, which verifies the request', async () => {
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: { type: 'access', identities: { email: 'ana.lima@example.com' } },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const { id } = submitted.json() as { id: string };

    const [mail] = await waitUntil('the code in the outbox', async () => {
      const mails = await listOutboxMail(t.services, { limit: 5 });
      return mails.some((m) => m.requestId === id && CODE.test(m.text)) ? mails : undefined;
    });
    assert.equal(mail!.to, 'ana.lima@example.com');
    assert.equal(mail!.tenantId, 'default');
    const code = CODE.exec(mail!.text)![1]!;

    const verified = await t.app.inject({
      method: 'POST',
      url: `/v1/requests/${id}/verify`,
      payload: { code },
    });
    assert.equal(verified.statusCode, 200, verified.body);
    const request = await t.database.db
      .selectFrom('dsr_requests')
      .select(['state', 'verified_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(request.verified_by, 'code');
    assert.notEqual(request.state, 'verifying');
  });

  test('stores recipient, subject and text only encrypted', async () => {
    const rows = await t.database.db.selectFrom('dsr_mail_outbox').select('sealed_mail').execute();
    const mails = await listOutboxMail(t.services, { limit: 100 });
    assert.ok(rows.length > 0);
    for (const row of rows) {
      // Only what plaintext holds and base64 cannot: a bare /code/i matched the ciphertext's random
      // letters now and then (a failing run in a fresh clone).
      assert.doesNotMatch(row.sealed_mail, /ana\.lima|example\.com|code: \d/i);
      for (const mail of mails)
        for (const plain of [mail.to, mail.subject, mail.text]) assert.ok(!row.sealed_mail.includes(plain));
    }
  });

  test('lists newest first and one tenant at a time', async () => {
    const all = await listOutboxMail(t.services, { limit: 100 });
    const times = all.map((m) => m.createdAt.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.deepEqual(await listOutboxMail(t.services, { tenantId: 'another', limit: 100 }), []);
  });

  test('mail older than retention.stewardData.outboxMailDays is purged by the own-data flow', async () => {
    const kept = await listOutboxMail(t.services, { limit: 100 });
    await sql`update dsr_mail_outbox set created_at = now() - interval '8 days' where id = ${kept.at(-1)!.id}`.execute(
      t.database.db,
    );
    const purge = (dryRun: boolean) =>
      dsrOwnDataRetention.purge(t.services, {
        dryRun,
        now: new Date(),
        periods: t.services.config.retention.stewardData,
        actor: { kind: 'system', id: 'test' },
      });
    assert.equal((await purge(true)).outboxMail, 1);
    assert.equal((await purge(false)).outboxMail, 1);
    const left = await listOutboxMail(t.services, { limit: 100 });
    assert.deepEqual(
      left.map((m) => m.id),
      kept.slice(0, -1).map((m) => m.id),
    );
  });
});
