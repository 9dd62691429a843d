import type { Transaction } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { JobEngine } from '../../../../kernel/jobs/job-engine.ts';

/** Queues of the DSR domain (definitions in src/dsr/dsr-jobs.ts). */
export const DSR_QUEUES = {
  runStep: 'dsr.run-step',
  notifyRequester: 'dsr.notify-requester',
  watchdog: 'dsr.watchdog',
  deleteExpiredPackages: 'dsr.delete-expired-packages',
} as const;

/**
 * How long a running step may go without its worker's heartbeat before it counts as abandoned:
 * both the step's own lease (step-lease.ts) and the pg-boss job of `dsr.run-step` use it, so a
 * step whose worker was killed is taken over within about twice this, and never before it.
 */
export const STEP_HEARTBEAT_SECONDS = 15;

export type RequesterNotice = 'verification_code' | 'acknowledgement' | 'extension' | 'closed';

export interface NotifyRequesterPayload {
  tenantId: string;
  requestId: string;
  notice: RequesterNotice;
}

export interface RunStepPayload {
  tenantId: string;
  requestId: string;
  step: string;
}

/**
 * Asks for a message to the requester, in the transaction of the change it reports. `occurrence`
 * tells apart notices of the same kind (the 2nd code, the 2nd extension); a repeated call for the
 * same occurrence enqueues nothing.
 */
export async function enqueueNotice(
  jobs: JobEngine,
  trx: Transaction<DsrDatabase>,
  payload: NotifyRequesterPayload,
  occurrence = 0,
): Promise<void> {
  await jobs.enqueue(DSR_QUEUES.notifyRequester, payload, {
    within: trx,
    idempotencyKey: `${payload.requestId}:notice:${payload.notice}:${occurrence}`,
  });
}

/**
 * Enqueues a step of a request; the key (request id + step) makes a repeated enqueue a no-op. The
 * step's place (`seq`) is its priority: a request's next step runs before the first step of
 * requests that came in after it, so a burst of new requests never holds back those in progress
 * (first come, first done, instead of every request's plan before anyone's result).
 */
export async function enqueueStep(
  jobs: JobEngine,
  trx: Transaction<DsrDatabase>,
  payload: RunStepPayload,
  seq = 0,
): Promise<void> {
  await jobs.enqueue(DSR_QUEUES.runStep, payload, {
    within: trx,
    idempotencyKey: `${payload.requestId}:${payload.step}`,
    priority: seq,
  });
}
