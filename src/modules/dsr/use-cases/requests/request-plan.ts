import type { DsrPlan } from '../../core/planning/dsr-plan.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { estimatePlanRows } from '../execution/estimate-plan-rows.ts';
import { executionInputOf } from './request-execution-input.ts';
import { loadRequest } from './request-record.ts';
import type { RequestType } from './request-types.ts';
import { planOf } from './step-handlers.ts';

/**
 * A request's plan as its execution would compute it now, or why there is none: its identities
 * were minimised when it closed, or its type changes nothing in the systems.
 */
export type RequestPlanRead =
  | { status: 'minimised'; requestId: string }
  | { status: 'no_plan'; requestId: string; type: RequestType }
  | {
      status: 'planned';
      requestId: string;
      plan: DsrPlan;
      /** Systems whose rows could not be counted now (unreachable): their steps have no estimate. */
      estimateErrors: { system: string; message: string }[];
    };

/**
 * The plan of a request from the tenant's data map and the request's identities, computed as its
 * execution computes it, with the subject's rows counted on the live systems when `estimate` is
 * set. It decrypts the identities: the caller audits the read.
 */
export async function currentPlanOf(
  services: DsrServices,
  tenantId: string,
  requestId: string,
  options: { estimate: boolean },
): Promise<RequestPlanRead> {
  const request = await loadRequest(services.database.db, tenantId, requestId);
  if (request.personal_data_minimised_at) return { status: 'minimised', requestId: request.id };
  const dataMap = services.dataMaps.forTenant(tenantId).dataMap;
  const input = await executionInputOf(services, request);
  let plan = planOf(request, dataMap, input);
  if (!plan) return { status: 'no_plan', requestId: request.id, type: request.type };
  const estimateErrors: { system: string; message: string }[] = [];
  if (options.estimate) {
    for (const system of plan.systems) {
      const definition = dataMap.systems.find((s) => s.id === system.system);
      if (!definition) continue;
      try {
        plan = await estimatePlanRows(
          plan,
          system.system,
          services.connectors.forSystem(tenantId, definition),
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
  return { status: 'planned', requestId: request.id, plan, estimateErrors };
}
