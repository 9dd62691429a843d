import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import { Conflict, InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { dsrKeyring } from '../requests/dsr-keyring.ts';
import type { DecisionContext } from '../requests/request-decisions.ts';
import { lockRequest, type RequestRow } from '../requests/request-record.ts';
import { appendHistory, transitionRequest } from '../requests/request-transition.ts';
import { continueAfterVerification } from '../requests/start-execution.ts';
import { subjectReferenceOf } from '../requests/subject-reference.ts';
import { codeMatches, notWaitingForCode } from './one-time-code.ts';

type Attempt =
  | { outcome: 'verified'; request: RequestRow }
  | { outcome: 'expired' }
  | { outcome: 'wrong'; attemptsLeft: number; denied: boolean };

/**
 * Checks the one-time code. A right code verifies the identity and moves the request on (to
 * approval or execution). A wrong one counts: after `maxAttempts` the code is burnt and a new one is
 * needed; when the last allowed code is burnt the request is denied. Wrong attempts are committed
 * before the error is returned, so they cannot be retried away.
 */
export async function verifyRequest(
  services: DsrServices,
  id: string,
  typedCode: string,
  context: DecisionContext,
): Promise<RequestRow> {
  const { verification } = services.config.dsr;
  const attempt: Attempt = await services.database.db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, context.tenantId, id);
    if (request.state !== 'verifying') {
      throw notWaitingForCode(id, request.state);
    }
    const code = await trx
      .selectFrom('dsr_verification_codes')
      .selectAll()
      .where('tenant_id', '=', context.tenantId)
      .where('request_id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!code?.code_hash || !code.salt || !code.expires_at) {
      throw new Conflict(
        'dsr.no_active_code',
        `Request ${id} has no valid code. Ask for a new one: POST /v1/requests/${id}/verification-code.`,
        { requestId: id },
      );
    }
    if (code.expires_at.getTime() < Date.now()) {
      await trx
        .updateTable('dsr_verification_codes')
        .set({ code_hash: null, salt: null })
        .where('tenant_id', '=', context.tenantId)
        .where('request_id', '=', id)
        .execute();
      return { outcome: 'expired' };
    }
    const subjectRef = await subjectReferenceOf(trx, dsrKeyring(services.config.dsr), context.tenantId, id);
    if (await codeMatches(typedCode, code.code_hash, code.salt)) {
      await trx
        .updateTable('dsr_verification_codes')
        .set({ code_hash: null, salt: null, verified_at: new Date() })
        .where('tenant_id', '=', context.tenantId)
        .where('request_id', '=', id)
        .execute();
      const verified = await transitionRequest(services, trx, request, 'verified', {
        actor: context.actor,
        reason: 'one-time code confirmed',
        set: { verified_by: 'code' },
        ...(subjectRef ? { subjectRef } : {}),
      });
      return {
        outcome: 'verified',
        request: await continueAfterVerification(services, trx, verified, context.actor, subjectRef),
      };
    }
    const attempts = code.attempts + 1;
    const burnt = attempts >= verification.maxAttempts;
    await trx
      .updateTable('dsr_verification_codes')
      .set({ attempts, ...(burnt ? { code_hash: null, salt: null } : {}) })
      .where('tenant_id', '=', context.tenantId)
      .where('request_id', '=', id)
      .execute();
    await appendHistory(
      trx,
      request,
      'verification_failed',
      'verifying',
      'verifying',
      context.actor,
      `wrong code (${attempts} of ${verification.maxAttempts})`,
    );
    await recordAuditEvent(trx, {
      tenantId: context.tenantId,
      actor: context.actor,
      action: 'dsr.verification.failed',
      object: { type: 'dsr_request', id },
      outcome: 'failure',
      ...(context.requestId ? { requestId: context.requestId } : {}),
      ...(subjectRef ? { subjectRef } : {}),
      details: { attempts, codesIssued: code.codes_issued },
    });
    const denied = burnt && code.codes_issued >= verification.maxCodes;
    if (denied) {
      const reason = `the identity could not be verified: ${verification.maxCodes} codes were each entered wrongly ${verification.maxAttempts} times`;
      await transitionRequest(services, trx, request, 'denied', {
        actor: context.actor,
        reason,
        ...(subjectRef ? { subjectRef } : {}),
      });
    }
    return { outcome: 'wrong', attemptsLeft: verification.maxAttempts - attempts, denied };
  });
  if (attempt.outcome === 'verified') return attempt.request;
  if (attempt.outcome === 'expired') {
    throw new Conflict(
      'dsr.code_expired',
      `The code has expired (codes are valid ${verification.codeTtlMinutes} minutes). Ask for a new one: POST /v1/requests/${id}/verification-code.`,
      { requestId: id },
    );
  }
  if (attempt.denied) {
    throw new Conflict(
      'dsr.verification_denied',
      'The code is wrong and no attempts are left; the request has been denied. Submit a new request to try again.',
      { requestId: id },
    );
  }
  const next =
    attempt.attemptsLeft > 0
      ? `${attempt.attemptsLeft} attempt(s) left.`
      : `No attempts left for this code; ask for a new one: POST /v1/requests/${id}/verification-code.`;
  throw new InvalidInput('dsr.wrong_code', `The code is wrong. ${next}`, {
    requestId: id,
    attemptsLeft: attempt.attemptsLeft,
  });
}
