import { Conflict, TooManyRequests } from '../../../../kernel/errors/domain-error.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type { DecisionContext } from '../requests/request-decisions.ts';
import { enqueueNotice } from '../requests/request-queues.ts';
import { lockRequest } from '../requests/request-record.ts';
import { notWaitingForCode } from './one-time-code.ts';

/**
 * Asks for another code (the first expired, was burnt, or never arrived), at most one per
 * `resendIntervalSeconds` and `maxCodes` per request. The code is sent by a job.
 */
export async function requestNewCode(
  services: DsrServices,
  id: string,
  context: DecisionContext,
): Promise<{ retryAfterSeconds: number }> {
  const { verification } = services.config.dsr;
  return services.database.db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, context.tenantId, id);
    if (request.state !== 'verifying' && request.state !== 'received') {
      throw notWaitingForCode(id, request.state);
    }
    const code = await trx
      .selectFrom('dsr_verification_codes')
      .select(['codes_issued', 'last_issued_at'])
      .where('tenant_id', '=', context.tenantId)
      .where('request_id', '=', id)
      .executeTakeFirst();
    const issued = code?.codes_issued ?? 0;
    if (issued >= verification.maxCodes) {
      throw new Conflict(
        'dsr.codes_exhausted',
        `Request ${id} has received the ${verification.maxCodes} codes allowed. Submit a new request.`,
        { requestId: id },
      );
    }
    const elapsedSeconds = code?.last_issued_at
      ? (Date.now() - code.last_issued_at.getTime()) / 1000
      : Infinity;
    if (elapsedSeconds < verification.resendIntervalSeconds) {
      const retryAfterSeconds = Math.ceil(verification.resendIntervalSeconds - elapsedSeconds);
      throw new TooManyRequests(
        'dsr.code_resend_too_soon',
        `A code was sent less than ${verification.resendIntervalSeconds} seconds ago. Wait ${retryAfterSeconds} s before asking again.`,
        { retryAfterSeconds },
      );
    }
    await enqueueNotice(
      services.jobs,
      trx,
      { tenantId: context.tenantId, requestId: id, notice: 'verification_code' },
      issued + 1,
    );
    return { retryAfterSeconds: verification.resendIntervalSeconds };
  });
}
