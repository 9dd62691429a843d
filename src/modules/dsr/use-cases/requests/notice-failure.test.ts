import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Unavailable } from '../../../../kernel/errors/domain-error.ts';
import { noticeFailure } from './notice-failure.ts';

const refused = new Unavailable(
  'dsr.mail_failed',
  'The SMTP server 127.0.0.1:2525 did not accept the mail (ECONNREFUSED). Check dsr.smtp; the mail is retried.',
  { code: 'ECONNREFUSED' },
);

test('a notice that cannot be sent is one line: which notice, which attempt, why and when the next attempt is due', () => {
  const failure = noticeFailure(refused, 'acknowledgement', 1, new Date('2026-12-07T08:00:00Z'));
  assert.equal(
    failure.message,
    'Notice acknowledgement not sent (attempt 2 of 6): The SMTP server 127.0.0.1:2525 did not accept the mail (ECONNREFUSED). Check dsr.smtp; attempt 3 of 6 at about 2026-12-07T08:00:10Z.',
  );
  assert.equal(failure.stack, `Unavailable: ${failure.message}`, 'no stack trace');
  assert.equal(failure.code, 'dsr.mail_failed');
  assert.deepEqual(failure.details, { code: 'ECONNREFUSED', attempt: 2, retryInSeconds: 10 });
  assert.match(noticeFailure(refused, 'closed', 5).message, /attempt 6 of 6\): .*; no attempt is left\.$/);
});
