import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../../../test/support/start-dsr-test-app.ts';
import { waitUntil } from '../../../../../test/support/wait-until.ts';

const CODE = /code: (\d{6})/;

describe(`identity verification by a one-time code over real SMTP`, () => {
  let t: DsrTestApp;
  before(async () => {
    // Every type waits for approval, so verified requests stop there and no execution starts.
    t = await startDsrTestApp({
      work: true,
      dsr: {
        approvalRequired: ['access', 'portability', 'erasure', 'rectification', 'restriction', 'objection'],
        verification: {
          maxAttempts: 3,
          maxCodes: 2,
          resendIntervalSeconds: 0,
          codeTtlMinutes: 10,
          abandonAfterDays: 30,
        },
      },
    });
  });
  after(() => t.close());

  async function submit(email: string, type = 'access') {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: { type, identities: { email } },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; state: string };
  }

  const verify = (id: string, code: string) =>
    t.app.inject({ method: 'POST', url: `/v1/requests/${id}/verify`, payload: { code } });

  async function stateOf(id: string): Promise<string> {
    const row = await t.database.db
      .selectFrom('dsr_requests')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.state;
  }

  test('the code goes to the email identity; a wrong code counts, the right one verifies', async () => {
    const before = t.smtp.messages.length;
    const { id, state } = await submit('Ana.Lima@Example.com');
    assert.equal(state, 'received');
    const mail = await t.smtp.waitForMail('ana.lima@example.com', { afterCount: before });
    assert.equal(mail.from, 'privacy@shop.example');
    assert.match(mail.text, new RegExp(`reference ${id}`));
    assert.match(mail.text, /valid for 10 minutes/);
    const code = CODE.exec(mail.text)![1]!;
    assert.equal(await stateOf(id), 'verifying');

    const stored = await waitUntil('the code is recorded as sent', async () => {
      const row = await t.database.db
        .selectFrom('dsr_verification_codes')
        .selectAll()
        .where('request_id', '=', id)
        .executeTakeFirstOrThrow();
      return row.last_issued_at ? row : undefined;
    });
    assert.ok(stored.code_hash && !stored.code_hash.includes(code), 'only a hash of the code is stored');
    const validForMs = stored.expires_at!.getTime() - stored.last_issued_at!.getTime();
    assert.ok(
      validForMs > 9 * 60_000 && validForMs <= 10 * 60_000,
      `valid for ${validForMs} ms after sending`,
    );

    const wrong = await verify(id, code === '000000' ? '111111' : '000000');
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().code, 'dsr.wrong_code');
    assert.equal(wrong.json().details.attemptsLeft, 2);

    const right = await verify(id, `${code.slice(0, 3)} ${code.slice(3)}`);
    assert.equal(right.statusCode, 200, right.body);
    assert.equal(right.json().state, 'awaiting_approval');

    const history = await t.database.db
      .selectFrom('dsr_request_history')
      .select(['event', 'from_state', 'to_state'])
      .where('request_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      history.map((h) => `${h.event}:${h.from_state ?? '-'}>${h.to_state}`),
      [
        'created:->received',
        'transition:received>verifying',
        'code_sent:verifying>verifying',
        'verification_failed:verifying>verifying',
        'transition:verifying>verified',
        'transition:verified>awaiting_approval',
      ],
    );
    const again = await verify(id, code);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'dsr.not_verifying');
  });

  test('an expired code is refused; a new code can be asked for and works', async () => {
    const before = t.smtp.messages.length;
    const { id } = await submit('ben@example.com');
    const first = CODE.exec((await t.smtp.waitForMail('ben@example.com', { afterCount: before })).text)![1]!;
    // Ten minutes pass.
    await t.database.db
      .updateTable('dsr_verification_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('request_id', '=', id)
      .execute();

    const expired = await verify(id, first);
    assert.equal(expired.statusCode, 409);
    assert.equal(expired.json().code, 'dsr.code_expired');
    assert.match(expired.json().detail, /valid 10 minutes/);

    const count = t.smtp.messages.length;
    const resend = await t.app.inject({ method: 'POST', url: `/v1/requests/${id}/verification-code` });
    assert.equal(resend.statusCode, 202, resend.body);
    const second = CODE.exec((await t.smtp.waitForMail('ben@example.com', { afterCount: count })).text)![1]!;
    const ok = await verify(id, second);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().state, 'awaiting_approval');
  });

  test('after the attempt limit the code is burnt; when the last allowed code is burnt the request is denied and the requester told', async () => {
    const before = t.smtp.messages.length;
    const { id } = await submit('carla@example.com', 'erasure');
    const code = CODE.exec((await t.smtp.waitForMail('carla@example.com', { afterCount: before })).text)![1]!;
    const wrongCode = code === '123456' ? '654321' : '123456';

    for (const left of [2, 1, 0]) {
      const response = await verify(id, wrongCode);
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().details.attemptsLeft, left);
    }
    const burnt = await verify(id, code);
    assert.equal(burnt.statusCode, 409, 'even the right code is refused once burnt');
    assert.equal(burnt.json().code, 'dsr.no_active_code');

    const count = t.smtp.messages.length;
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/v1/requests/${id}/verification-code` })).statusCode,
      202,
    );
    await t.smtp.waitForMail('carla@example.com', { afterCount: count });
    for (let i = 0; i < 2; i++) assert.equal((await verify(id, wrongCode)).statusCode, 400);
    const last = await verify(id, wrongCode);
    assert.equal(last.statusCode, 409);
    assert.equal(last.json().code, 'dsr.verification_denied');
    assert.equal(await stateOf(id), 'denied');

    const denial = await t.smtp.waitForMail('carla@example.com', { afterCount: count + 1 });
    assert.match(denial.subject, /denied/);
    assert.match(denial.text, /could not be verified/);
    assert.match(denial.text, /supervisory authority \(GDPR Art\. 77\)/);
    const minimised = await waitUntil('personal data is minimised after the closing notice', async () => {
      const row = await t.database.db
        .selectFrom('dsr_requests')
        .select(['contact_ciphertext', 'personal_data_minimised_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.personal_data_minimised_at ? row : undefined;
    });
    assert.equal(minimised.contact_ciphertext, null);
    const identities = await t.database.db
      .selectFrom('dsr_request_identities')
      .select(['value_ciphertext', 'value_hash'])
      .where('request_id', '=', id)
      .execute();
    assert.deepEqual(
      identities.map((i) => i.value_ciphertext),
      [null],
      'identity plaintext gone, the keyed hash stays',
    );

    const exhausted = await t.app.inject({ method: 'POST', url: `/v1/requests/${id}/verification-code` });
    assert.equal(exhausted.statusCode, 409);
  });

  test('codes cannot be asked for faster than the resend interval', async () => {
    t.services.config.dsr.verification.resendIntervalSeconds = 60;
    try {
      const before = t.smtp.messages.length;
      const { id } = await submit('dana@example.com');
      await t.smtp.waitForMail('dana@example.com', { afterCount: before });
      // The job records the sending right after the SMTP server accepted the mail.
      await waitUntil(
        'the code is recorded as sent',
        async () =>
          (
            await t.database.db
              .selectFrom('dsr_verification_codes')
              .select('last_issued_at')
              .where('request_id', '=', id)
              .executeTakeFirst()
          )?.last_issued_at ?? undefined,
      );
      const tooSoon = await t.app.inject({ method: 'POST', url: `/v1/requests/${id}/verification-code` });
      assert.equal(tooSoon.statusCode, 429);
      assert.equal(tooSoon.json().code, 'dsr.code_resend_too_soon');
      assert.ok(tooSoon.json().details.retryAfterSeconds > 0);
    } finally {
      t.services.config.dsr.verification.resendIntervalSeconds = 0;
    }
  });

  test('a mail the SMTP server refuses is retried with a fresh code', async () => {
    t.smtp.refuseNext(1);
    const before = t.smtp.messages.length;
    const { id } = await submit('eve@example.com');
    const mail = await t.smtp.waitForMail('eve@example.com', { afterCount: before, timeoutMs: 40_000 });
    const code = CODE.exec(mail.text)![1]!;
    assert.equal((await verify(id, code)).statusCode, 200);
    const issued = await t.database.db
      .selectFrom('dsr_verification_codes')
      .select('codes_issued')
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(issued.codes_issued, 1, 'the refused attempt does not count against the code limit');
  });
});
