import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { Conflict, NotFound } from '../../../kernel/errors/domain-error.ts';
import type { WebServices } from '../web-services.ts';
import { planDiffOf, type PlanDiff } from '../core/plan-diff.ts';

export type RequestPlanServices = Pick<WebServices, 'database' | 'subjectRequests'>;

export interface PlanReader {
  tenantId: string;
  actor: { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string };
  httpRequestId?: string;
}

/**
 * The plan of a request as a diff — what it reads, deletes, masks or keeps under which legal hold —
 * computed from the data map and the request's identities as its execution computes it, with the
 * subject's rows counted on the live systems when `estimate` is set. Reading it uses the subject's
 * identities, so the read is audited; the diff itself holds no identity value.
 */
export async function readRequestPlan(
  services: RequestPlanServices,
  reader: PlanReader,
  requestId: string,
  options: { estimate: boolean },
): Promise<PlanDiff & { estimateErrors: { system: string; message: string }[] }> {
  const read = await services.subjectRequests.currentPlan(reader.tenantId, requestId, options);
  if (read.status === 'minimised') {
    throw new Conflict(
      'web.plan_minimised',
      `Request ${read.requestId} is closed and its identities were deleted, so its plan cannot be computed again. Its result is in GET /v1/requests/${read.requestId}.`,
      { requestId: read.requestId },
    );
  }
  if (read.status === 'no_plan') {
    throw new NotFound(
      'web.no_plan',
      `A ${read.type} request changes nothing in your systems (receivers are notified instead), so it has no plan.`,
      { requestId: read.requestId, type: read.type },
    );
  }
  const { plan, estimateErrors } = read;
  await recordAuditEvent(services.database.db, {
    tenantId: reader.tenantId,
    actor: reader.actor,
    action: 'dsr.request.plan_read',
    object: { type: 'dsr_request', id: read.requestId },
    outcome: 'success',
    ...(reader.httpRequestId ? { requestId: reader.httpRequestId } : {}),
    details: { estimate: options.estimate, systems: plan.systems.length },
  });
  return { ...planDiffOf(plan), estimateErrors };
}
