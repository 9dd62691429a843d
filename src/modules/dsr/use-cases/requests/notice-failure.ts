import { Unavailable, type DomainError } from '../../../../kernel/errors/domain-error.ts';

/** The retry policy of `dsr.notify-requester` (jobs.ts); pg-boss doubles the delay each attempt. */
export const NOTICE_RETRY = { limit: 5, delaySeconds: 5, maxDelaySeconds: 900 } as const;

/**
 * A notice that could not be sent, as the one line an operator needs: which notice, which attempt,
 * why (the mail error's message, which never quotes the recipient) and when the next attempt is
 * due. No stack trace: a mail server that is down is an expected condition, not a bug, and a log
 * line per retry with a trace buried the rest of the log.
 */
export function noticeFailure(
  error: DomainError,
  notice: string,
  attempt: number,
  now = new Date(),
): Unavailable {
  const last = attempt >= NOTICE_RETRY.limit;
  const delay = Math.min(NOTICE_RETRY.maxDelaySeconds, NOTICE_RETRY.delaySeconds * 2 ** attempt);
  const next = last
    ? 'no attempt is left'
    : `attempt ${attempt + 2} of ${NOTICE_RETRY.limit + 1} at about ${new Date(now.getTime() + delay * 1000).toISOString().slice(0, 19)}Z`;
  const failure = new Unavailable(
    error.code,
    `Notice ${notice} not sent (attempt ${attempt + 1} of ${NOTICE_RETRY.limit + 1}): ${error.message.replace(/ the mail is retried\.?$/, '').replace(/;$/, '')}; ${next}.`,
    { ...error.details, attempt: attempt + 1, ...(last ? {} : { retryInSeconds: delay }) },
  );
  failure.stack = `${failure.name}: ${failure.message}`;
  return failure;
}
