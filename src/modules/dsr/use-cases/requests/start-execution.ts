import type { Insertable, Transaction } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { DsrRequestStepsTable } from '../../store/dsr-tables.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type { RequestActor } from './request-actor.ts';
import { enqueueStep } from './request-queues.ts';
import type { RequestRow } from './request-record.ts';
import { stepKey } from './request-step-types.ts';
import { transitionRequest } from './request-transition.ts';

/**
 * After verification: wait for a person with dsr:approve when the type needs approval, otherwise
 * start executing at once.
 */
export async function continueAfterVerification(
  services: DsrServices,
  trx: Transaction<DsrDatabase>,
  request: RequestRow,
  actor: RequestActor,
  subjectRef?: string,
): Promise<RequestRow> {
  if (request.approval_required) {
    return transitionRequest(services, trx, request, 'awaiting_approval', {
      actor,
      ...(subjectRef ? { subjectRef } : {}),
    });
  }
  return startExecution(services, trx, request, actor, undefined, subjectRef);
}

/** Moves the request to in_progress and enqueues its first durable step, the plan. */
export async function startExecution(
  services: DsrServices,
  trx: Transaction<DsrDatabase>,
  request: RequestRow,
  actor: RequestActor,
  reason?: string,
  subjectRef?: string,
): Promise<RequestRow> {
  const started = await transitionRequest(services, trx, request, 'in_progress', {
    actor,
    ...(reason ? { reason } : {}),
    ...(subjectRef ? { subjectRef } : {}),
  });
  const first = firstStepRow(request);
  await trx
    .insertInto('dsr_request_steps')
    .values(first)
    .onConflict((oc) => oc.columns(['request_id', 'step']).doNothing())
    .execute();
  await enqueueStep(services.jobs, trx, {
    tenantId: request.tenant_id,
    requestId: request.id,
    step: first.step,
  });
  return started;
}

/** Every execution begins with its plan, pending until a worker takes its job. */
export function firstStepRow(
  request: Pick<RequestRow, 'tenant_id' | 'id'>,
): Insertable<DsrRequestStepsTable> & { step: string } {
  return {
    tenant_id: request.tenant_id,
    request_id: request.id,
    step: stepKey('plan'),
    seq: 0,
    kind: 'plan',
    system: null,
    status: 'pending',
    attempts: 0,
  };
}
