import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { Conflict, NotFound } from '../../../kernel/errors/domain-error.ts';
import type { WebServices } from '../web-services.ts';
import { estimatePlanRows, executionInputOf, loadRequest, planOf, type DsrPlan } from '../other-modules.ts';
import { planDiffOf, type PlanDiff } from '../core/plan-diff.ts';

/** The dsr module's execution input needs the whole service set (it reads config and database). */
export type RequestPlanServices = WebServices;

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
  const request = await loadRequest(services.database.db, reader.tenantId, requestId);
  if (request.personal_data_minimised_at) {
    throw new Conflict(
      'web.plan_minimised',
      `Request ${request.id} is closed and its identities were deleted, so its plan cannot be computed again. Its result is in GET /v1/requests/${request.id}.`,
      { requestId: request.id },
    );
  }
  const dataMap = services.dataMaps.forTenant(reader.tenantId).dataMap;
  const input = await executionInputOf(services, request);
  let plan: DsrPlan | undefined = planOf(request, dataMap, input);
  if (!plan) {
    throw new NotFound(
      'web.no_plan',
      `A ${request.type} request changes nothing in your systems (receivers are notified instead), so it has no plan.`,
      { requestId: request.id, type: request.type },
    );
  }
  const estimateErrors: { system: string; message: string }[] = [];
  if (options.estimate) {
    for (const system of plan.systems) {
      const definition = dataMap.systems.find((s) => s.id === system.system);
      if (!definition) continue;
      try {
        plan = await estimatePlanRows(
          plan,
          system.system,
          services.connectors.forSystem(reader.tenantId, definition),
        );
      } catch (error) {
        // A system that cannot be reached now still has a plan; only its counts are missing.
        estimateErrors.push({
          system: system.system,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  await recordAuditEvent(services.database.db, {
    tenantId: reader.tenantId,
    actor: reader.actor,
    action: 'dsr.request.plan_read',
    object: { type: 'dsr_request', id: request.id },
    outcome: 'success',
    ...(reader.httpRequestId ? { requestId: reader.httpRequestId } : {}),
    details: { estimate: options.estimate, systems: plan.systems.length },
  });
  return { ...planDiffOf(plan), estimateErrors };
}
