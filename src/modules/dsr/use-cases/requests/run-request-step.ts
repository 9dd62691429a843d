import { sql, type Selectable, type Transaction } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { Unavailable } from '../../../../kernel/errors/domain-error.ts';
import { withPersonalValues } from '../../../../kernel/logging/redact-personal-data.ts';
import type { DsrRequestStepsTable } from '../../store/dsr-tables.ts';
import { SYSTEM_ACTOR } from './request-actor.ts';
import { enqueueStep, STEP_HEARTBEAT_SECONDS, type RunStepPayload } from './request-queues.ts';
import { lockRequest, type RequestRow } from './request-record.ts';
import { finishRequest } from './finish-request.ts';
import { stepKey, type StepKind } from './request-step-types.ts';
import { holdStepLease, stepHeartbeatIsFresh } from './step-lease.ts';
import { dsrKeyring } from './dsr-keyring.ts';
import { stepErrorText } from './step-error-text.ts';
import { decryptIdentities } from './subject-reference.ts';

export type StepRow = Selectable<DsrRequestStepsTable>;

export interface StepContext {
  services: DsrServices;
  request: RequestRow;
  step: StepRow;
  /** Aborted on the step timeout, when the worker shuts down, or when it no longer holds the step. */
  signal: AbortSignal;
  /** 1 on the first attempt; > 1 when an earlier attempt was interrupted or failed. */
  attempt: number;
}

export interface StepOutcome {
  /** A plain, non-personal summary stored with the step (counts, reports). */
  result: Record<string, unknown>;
  /** Steps to run after this one, in order (the plan step adds the per-system steps). */
  addSteps?: { kind: StepKind; system?: string }[];
  /** Runs in the transaction that records the step's success (the complete step ends the request there). */
  commit?: (trx: Transaction<DsrDatabase>) => Promise<void>;
  /** Runs once that transaction committed (cache invalidation). */
  afterCommit?: () => void;
}

export interface StepHandler {
  run(context: StepContext): Promise<StepOutcome>;
  /**
   * When the step has used up its attempts: `continue` with the next step (one system's failure
   * must not stop erasure in the others; the request ends partially completed), or `end` the
   * request at once.
   */
  whenExhausted: 'continue' | 'end';
}

export type StepHandlers = Partial<Record<StepKind, StepHandler>>;

/**
 * A failure that repeating cannot fix (the plan has errors, the data map lacks the system): the
 * step is given up at once instead of being retried.
 */
export class PermanentStepError extends Error {
  override readonly name = 'PermanentStepError';
}

const MISSING_HANDLER: StepHandler = {
  whenExhausted: 'end',
  run: ({ step }) =>
    Promise.reject(new PermanentStepError(`this Steward version cannot run steps of kind ${step.kind}`)),
};

/**
 * `superseded`: this worker no longer held the step when the handler ended (another worker took it
 * over after this one's heartbeat lapsed, or the request was ended), so nothing was recorded.
 */
export type StepRunOutcome =
  'succeeded' | 'already_done' | 'request_not_running' | 'gave_up' | 'missing' | 'superseded';

/**
 * Runs one durable step of a request (job `dsr.run-step`). The step row is the source of truth:
 * it is marked running (attempt counted) in one transaction, the work runs outside any Steward
 * transaction, and success plus the enqueue of the next step commit together. While the work runs,
 * the worker renews the step's heartbeat (step-lease.ts). A worker killed in between leaves the
 * step `running` with a heartbeat that lapses; pg-boss notices the job's own heartbeat lapse too
 * and hands the job to another worker, which takes the step over and runs it again — every step
 * is safe to repeat: reads are restaged, erasures find nothing left to delete, corrections set the
 * same values. A step whose heartbeat is still fresh is never taken over, and a worker records its
 * result only while the step is still its own attempt. A step that keeps failing is given up after
 * `dsr.execution.maxStepAttempts`, and the request goes on or ends with the reason recorded.
 */
export async function runRequestStep(
  services: DsrServices,
  payload: RunStepPayload,
  jobSignal: AbortSignal,
  handlers: StepHandlers,
): Promise<StepRunOutcome> {
  const { execution } = services.config.dsr;
  const claimed = await services.database.db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, payload.tenantId, payload.requestId);
    const step = await loadStep(trx, payload);
    if (!step) return { outcome: 'missing' as const };
    if (request.state !== 'in_progress') {
      await markSkippedIfOpen(trx, step);
      return { outcome: 'request_not_running' as const };
    }
    if (step.status === 'succeeded' || step.status === 'failed' || step.status === 'skipped') {
      // A retry of a job whose step already finished: only make sure the chain goes on.
      await continueAfter(services, trx, request, step);
      return { outcome: 'already_done' as const };
    }
    // A running step whose worker still renews its heartbeat is being run right now (pg-boss handed
    // the job out again while that worker lives, e.g. after a blip of its pg-boss connection): wait
    // for it rather than run the same effect twice at once. A lapsed heartbeat means a dead worker.
    if (step.status === 'running' && (await stepHeartbeatIsFresh(trx, step, STEP_HEARTBEAT_SECONDS))) {
      return { outcome: 'busy' as const };
    }
    if (step.attempts >= execution.maxStepAttempts) {
      await giveUp(
        services,
        trx,
        request,
        step,
        handlers[step.kind as StepKind] ?? MISSING_HANDLER,
        step.error ?? `interrupted ${step.attempts} times`,
      );
      return { outcome: 'gave_up' as const };
    }
    const running = await trx
      .updateTable('dsr_request_steps')
      .set({
        status: 'running',
        attempts: step.attempts + 1,
        started_at: new Date(),
        heartbeat_at: sql<Date>`now()`,
        finished_at: null,
      })
      .where('tenant_id', '=', step.tenant_id)
      .where('request_id', '=', step.request_id)
      .where('step', '=', step.step)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { outcome: 'run' as const, request, step: running };
  });
  if (claimed.outcome === 'busy') {
    throw new Unavailable(
      'dsr.step_busy',
      `Step ${payload.step} of request ${payload.requestId} is running on another worker (its heartbeat is current); retrying later.`,
      { ...payload },
    );
  }
  if (claimed.outcome !== 'run') return claimed.outcome;

  const handler = handlers[claimed.step.kind as StepKind] ?? MISSING_HANDLER;
  const lease = holdStepLease(services.database.db, claimed.step, STEP_HEARTBEAT_SECONDS);
  const signal = AbortSignal.any([
    jobSignal,
    lease.signal,
    AbortSignal.timeout(execution.stepTimeoutSeconds * 1000),
  ]);
  // Still this worker's attempt: nobody took the step over, and the watchdog did not end the request.
  const stillOurs = (step: StepRow | undefined, request: RequestRow): step is StepRow =>
    step?.status === 'running' && step.attempts === claimed.step.attempts && request.state === 'in_progress';
  // The subject's values are redacted by value from whatever the step logs, and from its error.
  let identityValues: string[] = [];
  let outcome: StepOutcome;
  try {
    identityValues = Object.values(
      await decryptIdentities(
        services.database.db,
        dsrKeyring(services.config.dsr),
        payload.tenantId,
        payload.requestId,
      ),
    );
    outcome = await withPersonalValues(identityValues, () =>
      handler.run({
        services,
        request: claimed.request,
        step: claimed.step,
        signal,
        attempt: claimed.step.attempts,
      }),
    );
    if (signal.aborted) throw signal.reason;
  } catch (error) {
    await lease.release();
    const message = describeError(error, signal, execution.stepTimeoutSeconds, identityValues);
    const exhausted =
      claimed.step.attempts >= execution.maxStepAttempts || error instanceof PermanentStepError;
    const ours = await services.database.db.transaction().execute(async (trx) => {
      const request = await lockRequest(trx, payload.tenantId, payload.requestId);
      const step = await loadStep(trx, payload);
      if (!stillOurs(step, request)) return false;
      if (exhausted) await giveUp(services, trx, request, step, handler, message);
      else
        await trx
          .updateTable('dsr_request_steps')
          .set({ status: 'pending', error: message })
          .where('tenant_id', '=', step.tenant_id)
          .where('request_id', '=', step.request_id)
          .where('step', '=', step.step)
          .execute();
      return true;
    });
    if (!ours) return 'superseded';
    if (exhausted) return 'gave_up';
    // pg-boss retries the job with exponential backoff; the job log and pg-boss's job row get the redacted message only.
    throw new StepAttemptFailed(message);
  }
  await lease.release();

  const recorded = await services.database.db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, payload.tenantId, payload.requestId);
    const step = await loadStep(trx, payload);
    // The watchdog may have ended the request meanwhile (its decision stands), or another worker
    // took the step over after this one's heartbeat lapsed (its run is the one that counts).
    if (!stillOurs(step, request)) return false;
    const succeeded = await trx
      .updateTable('dsr_request_steps')
      .set({
        status: 'succeeded',
        finished_at: new Date(),
        error: null,
        result: JSON.stringify(outcome.result),
      })
      .where('tenant_id', '=', step.tenant_id)
      .where('request_id', '=', step.request_id)
      .where('step', '=', step.step)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (outcome.addSteps?.length) await addSteps(trx, request, step.seq, outcome.addSteps);
    if (outcome.commit) await outcome.commit(trx);
    await continueAfter(services, trx, request, succeeded);
    return true;
  });
  if (!recorded) return 'superseded';
  outcome.afterCommit?.();
  return 'succeeded';
}

async function loadStep(
  trx: Transaction<DsrDatabase>,
  payload: RunStepPayload,
): Promise<StepRow | undefined> {
  return trx
    .selectFrom('dsr_request_steps')
    .selectAll()
    .where('tenant_id', '=', payload.tenantId)
    .where('request_id', '=', payload.requestId)
    .where('step', '=', payload.step)
    .forUpdate()
    .executeTakeFirst();
}

async function markSkippedIfOpen(trx: Transaction<DsrDatabase>, step: StepRow): Promise<void> {
  if (step.status !== 'pending' && step.status !== 'running') return;
  await trx
    .updateTable('dsr_request_steps')
    .set({ status: 'skipped', finished_at: new Date() })
    .where('tenant_id', '=', step.tenant_id)
    .where('request_id', '=', step.request_id)
    .where('step', '=', step.step)
    .execute();
}

async function giveUp(
  services: DsrServices,
  trx: Transaction<DsrDatabase>,
  request: RequestRow,
  step: StepRow,
  handler: StepHandler,
  message: string,
): Promise<void> {
  await trx
    .updateTable('dsr_request_steps')
    .set({
      status: 'failed',
      finished_at: new Date(),
      error: `gave up after ${step.attempts} attempt(s): ${message}`,
    })
    .where('tenant_id', '=', step.tenant_id)
    .where('request_id', '=', step.request_id)
    .where('step', '=', step.step)
    .execute();
  if (handler.whenExhausted === 'end') {
    await finishRequest(services, trx, request, SYSTEM_ACTOR);
    return;
  }
  await continueAfter(services, trx, request, step);
}

/** Enqueues the next pending step (idempotently), so the chain survives any single lost job. */
async function continueAfter(
  services: DsrServices,
  trx: Transaction<DsrDatabase>,
  request: RequestRow,
  step: StepRow,
): Promise<void> {
  const next = await trx
    .selectFrom('dsr_request_steps')
    .select(['step', 'seq'])
    .where('tenant_id', '=', request.tenant_id)
    .where('request_id', '=', request.id)
    .where('seq', '>', step.seq)
    .where('status', 'in', ['pending', 'running'])
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  if (next)
    await enqueueStep(
      services.jobs,
      trx,
      { tenantId: request.tenant_id, requestId: request.id, step: next.step },
      next.seq,
    );
}

async function addSteps(
  trx: Transaction<DsrDatabase>,
  request: RequestRow,
  afterSeq: number,
  steps: { kind: StepKind; system?: string }[],
): Promise<void> {
  await trx
    .insertInto('dsr_request_steps')
    .values(
      steps.map((s, index) => ({
        tenant_id: request.tenant_id,
        request_id: request.id,
        step: stepKey(s.kind, s.system),
        seq: afterSeq + 1 + index,
        kind: s.kind,
        system: s.system ?? null,
        status: 'pending' as const,
        attempts: 0,
      })),
    )
    .onConflict((oc) => oc.columns(['request_id', 'step']).doNothing())
    .execute();
}

/** A short message for the API; the subject's values and personal values a driver may quote are redacted. */
function describeError(
  error: unknown,
  signal: AbortSignal,
  timeoutSeconds: number,
  identityValues: readonly string[],
): string {
  if (signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError')
    return `timed out after ${timeoutSeconds} s`;
  const message = error instanceof Error ? error.message : String(error);
  return stepErrorText(message, identityValues);
}

/** A step attempt that failed and will be retried; its message is already redacted. */
class StepAttemptFailed extends Error {
  override readonly name = 'StepAttemptFailed';
}
