import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import { dutiesPolicyFor, requireSecondPerson } from '../../../../platform/auth/separation-of-duties.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { dsrKeyring } from './dsr-keyring.ts';
import type { RequestActor } from './request-actor.ts';
import { lockRequest, type RequestRow } from './request-record.ts';
import { transitionRequest } from './request-transition.ts';
import { startExecution } from './start-execution.ts';
import { subjectReferenceOf } from './subject-reference.ts';

export interface DecisionContext {
  tenantId: string;
  actor: RequestActor;
  requestId?: string;
}

/**
 * A person with dsr:approve lets an awaiting request run. Under the tenant's four-eyes policy
 * (auth.separationOfDuties.requests, on by default) that person is neither the one who submitted
 * the request nor the one who verified the subject's identity.
 */
export async function approveRequest(
  services: DsrServices,
  id: string,
  context: DecisionContext,
  note?: string,
): Promise<RequestRow> {
  return services.database.db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, context.tenantId, id);
    if (
      request.state === 'awaiting_approval' &&
      dutiesPolicyFor(services.config.auth, context.tenantId).requests
    ) {
      const verification = await trx
        .selectFrom('dsr_request_history')
        .select(['actor_kind', 'actor_id'])
        .where('tenant_id', '=', context.tenantId)
        .where('request_id', '=', id)
        .where('to_state', '=', 'verified')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      requireSecondPerson('dsr.four_eyes', `Request ${id}`, context.actor, [
        { role: 'submitter', actor: { kind: request.created_by_kind, id: request.created_by_id } },
        {
          role: 'verifier',
          actor: verification && { kind: verification.actor_kind, id: verification.actor_id },
        },
      ]);
    }
    const subjectRef = await subjectReferenceOf(trx, dsrKeyring(services.config.dsr), context.tenantId, id);
    return startExecution(services, trx, request, context.actor, note ?? 'approved', subjectRef);
  });
}

/**
 * Refuses a request that has not started executing, with the reason the requester will be told
 * (GDPR Art. 12(4): reasons and the right to complain; CCPA Regs §7022(f), §7024(e)).
 */
export async function denyRequest(
  services: DsrServices,
  id: string,
  context: DecisionContext,
  reason: string,
): Promise<RequestRow> {
  requireReason(reason, 'deny');
  return services.database.db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, context.tenantId, id);
    const subjectRef = await subjectReferenceOf(trx, dsrKeyring(services.config.dsr), context.tenantId, id);
    return transitionRequest(services, trx, request, 'denied', {
      actor: context.actor,
      reason,
      ...(subjectRef ? { subjectRef } : {}),
      ...(context.requestId ? { requestId: context.requestId } : {}),
    });
  });
}

/** Withdraws a request (the requester changed their mind, or it was entered by mistake). */
export async function cancelRequest(
  services: DsrServices,
  id: string,
  context: DecisionContext,
  reason?: string,
): Promise<RequestRow> {
  return services.database.db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, context.tenantId, id);
    const subjectRef = await subjectReferenceOf(trx, dsrKeyring(services.config.dsr), context.tenantId, id);
    return transitionRequest(services, trx, request, 'cancelled', {
      actor: context.actor,
      reason: reason?.trim() || 'cancelled',
      ...(subjectRef ? { subjectRef } : {}),
      ...(context.requestId ? { requestId: context.requestId } : {}),
    });
  });
}

export function requireReason(reason: string | undefined, action: string): asserts reason is string {
  if (!reason || reason.trim().length < 3) {
    throw new InvalidInput(
      'dsr.reason_required',
      `Give a reason to ${action} the request; the requester is told it.`,
    );
  }
}
