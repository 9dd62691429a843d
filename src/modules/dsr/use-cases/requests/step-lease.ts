import { sql, type Transaction } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { DbHandle } from '../../../../kernel/database/db-handle.ts';

/** The step a worker claimed, as far as its lease is concerned: which row, and under which attempt. */
export interface ClaimedStep {
  tenant_id: string;
  request_id: string;
  step: string;
  attempts: number;
}

export interface StepLease {
  /** Aborted when this worker no longer holds the step (see holdStepLease). */
  readonly signal: AbortSignal;
  /** Stops renewing; resolves once a renewal in flight has finished. */
  release(): Promise<void>;
}

/** Why a step was stopped: its worker no longer holds it, so its result must not be recorded. */
export class StepLeaseLost extends Error {
  override readonly name = 'StepLeaseLost';
}

/**
 * Keeps a running step claimed by this worker: its `heartbeat_at` is renewed (by the database's
 * clock, so workers on different machines agree) every third of `seconds`. Another worker may take
 * the step over only once the heartbeat is older than `seconds` (stepHeartbeatIsFresh), so a step
 * whose worker was killed is taken over within seconds, while a live one is never run twice at once.
 *
 * The lease is fenced: `signal` is aborted when a renewal finds the step no longer running under
 * this attempt (taken over, or the request ended), or when no renewal has succeeded for two thirds
 * of `seconds` (the database is unreachable: to others this worker may soon look dead), so the step
 * stops before acting on a claim it may have lost.
 */
export function holdStepLease(db: DbHandle<DsrDatabase>, step: ClaimedStep, seconds: number): StepLease {
  const controller = new AbortController();
  const renewEveryMs = (seconds * 1000) / 3;
  const giveUpAfterMs = (seconds * 2000) / 3;
  let renewedAt = performance.now();
  let inFlight: Promise<void> | undefined;

  const renew = async () => {
    try {
      const renewed = await db
        .updateTable('dsr_request_steps')
        .set({ heartbeat_at: sql<Date>`now()` })
        .where('tenant_id', '=', step.tenant_id)
        .where('request_id', '=', step.request_id)
        .where('step', '=', step.step)
        .where('status', '=', 'running')
        .where('attempts', '=', step.attempts)
        .returning('step')
        .executeTakeFirst();
      if (!renewed)
        controller.abort(
          new StepLeaseLost(
            `step ${step.step} is no longer running as attempt ${step.attempts} (another worker took it over, or the request ended)`,
          ),
        );
      else renewedAt = performance.now();
    } catch {
      // A failed renewal is not yet a lost lease; the tick below decides when it is.
    }
  };
  const timer = setInterval(() => {
    if (controller.signal.aborted) return;
    if (performance.now() - renewedAt >= giveUpAfterMs) {
      controller.abort(
        new StepLeaseLost(
          `the heartbeat of step ${step.step} could not be renewed for ${Math.round(giveUpAfterMs / 1000)} s`,
        ),
      );
      return;
    }
    inFlight ??= renew().finally(() => (inFlight = undefined));
  }, renewEveryMs);

  return {
    signal: controller.signal,
    async release() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

/**
 * Whether a running step's worker has renewed its heartbeat within `seconds` (by the database's
 * clock). A step claimed before heartbeats existed counts from its start.
 */
export async function stepHeartbeatIsFresh(
  trx: Transaction<DsrDatabase>,
  step: ClaimedStep,
  seconds: number,
): Promise<boolean> {
  const row = await trx
    .selectFrom('dsr_request_steps')
    .select(
      sql<boolean>`coalesce(heartbeat_at, started_at) > now() - make_interval(secs => ${seconds}::float8)`.as(
        'fresh',
      ),
    )
    .where('tenant_id', '=', step.tenant_id)
    .where('request_id', '=', step.request_id)
    .where('step', '=', step.step)
    .executeTakeFirst();
  return row?.fresh === true;
}
