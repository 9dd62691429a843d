import type { Selectable, Transaction } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type { DsrRequestStepsTable } from '../../store/dsr-tables.ts';
import type { RequestActor } from './request-actor.ts';
import type { RequestRow } from './request-record.ts';
import { journalErasure } from './journal-erasure.ts';
import { shortfallsOf } from './request-shortfalls.ts';
import { transitionRequest } from './request-transition.ts';

type StepRow = Selectable<DsrRequestStepsTable>;

/** Step kinds whose success is the point of the request (the rest is bookkeeping). */
const WORK_KINDS = new Set(['access', 'erase', 'rectify', 'publish', 'package']);

export interface RequestOutcome {
  state: 'completed' | 'partially_completed' | 'failed';
  reason?: string;
  result: Record<string, unknown>;
}

/**
 * The outcome from the steps: completed when every work step succeeded and achieved everything
 * (no row of the subject found again after an erasure outside a declared hold, every correction
 * applied), partially completed when some did and some failed, never ran or fell short, failed
 * when none did.
 */
export function outcomeOf(steps: StepRow[], extraReason?: string): RequestOutcome {
  const work = steps.filter((s) => WORK_KINDS.has(s.kind));
  const succeeded = work.filter((s) => s.status === 'succeeded');
  const unfinished = work.filter((s) => s.status !== 'succeeded');
  const planFailed = steps.some((s) => s.kind === 'plan' && s.status === 'failed');
  const result = resultOf(steps);
  const shortfalls = shortfallsOf(work);
  const problems = [
    ...(extraReason ? [extraReason] : []),
    ...steps
      .filter((s) => s.status === 'failed')
      .map((s) => `${s.step} failed${s.error ? `: ${s.error}` : ''}`),
    ...unfinished.filter((s) => s.status !== 'failed').map((s) => `${s.step} did not run`),
    ...shortfalls,
  ];
  const reason = problems.length ? problems.join('; ') : undefined;
  if (
    planFailed ||
    (work.length > 0 && succeeded.length === 0) ||
    (work.length === 0 && problems.length > 0)
  ) {
    return { state: 'failed', result, ...(reason ? { reason } : {}) };
  }
  if (unfinished.length > 0 || shortfalls.length > 0)
    return { state: 'partially_completed', result, ...(reason ? { reason } : {}) };
  return { state: 'completed', result };
}

/** The request's result: each step's summary by step key (erasure reports per system and collection). */
function resultOf(steps: StepRow[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const step of steps) {
    if (!WORK_KINDS.has(step.kind) && step.kind !== 'plan') continue;
    result[step.step] = {
      status: step.status,
      ...(step.result ?? {}),
      ...(step.error ? { error: step.error } : {}),
    };
  }
  return result;
}

/**
 * Ends an in-progress request with the outcome of its steps; steps that never ran are marked
 * skipped, and an erasure is written to the erased-subject journal.
 */
export async function finishRequest(
  services: DsrServices,
  trx: Transaction<DsrDatabase>,
  request: RequestRow,
  actor: RequestActor,
  extraReason?: string,
): Promise<RequestRow> {
  await trx
    .updateTable('dsr_request_steps')
    .set({ status: 'skipped', finished_at: new Date() })
    .where('tenant_id', '=', request.tenant_id)
    .where('request_id', '=', request.id)
    .where('status', 'in', ['pending', 'running'])
    .where('kind', '!=', 'complete')
    .execute();
  const steps = await trx
    .selectFrom('dsr_request_steps')
    .selectAll()
    .where('tenant_id', '=', request.tenant_id)
    .where('request_id', '=', request.id)
    .orderBy('seq')
    .execute();
  const outcome = outcomeOf(steps, extraReason);
  await journalErasure(services, trx, request);
  return transitionRequest(services, trx, request, outcome.state, {
    actor,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    set: { result: JSON.stringify(outcome.result) },
    details: { steps: steps.length },
  });
}
