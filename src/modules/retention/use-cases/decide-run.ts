import type { Selectable } from 'kysely';
import { Conflict, InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import {
  dutiesPolicyFor,
  requirePerson,
  requireSecondPerson,
} from '../../../platform/auth/separation-of-duties.ts';
import { publishEvent } from '../../../platform/events/publish-event.ts';
import type { RetentionServices } from '../retention-services.ts';
import type { RetentionDatabase } from '../store/retention-database.ts';
import type { RunActor, RunApproval, RunReport } from '../core/retention-run-types.ts';
import { RETENTION_QUEUES } from '../core/retention-queues.ts';
import { readRun } from './run-store.ts';

type RunRow = Selectable<RetentionDatabase['retention_runs']>;

export interface DecisionContext {
  tenantId: string;
  actor: RunActor;
  /** The HTTP request id, for the audit entry. */
  requestId?: string;
}

/**
 * A person with retention:run lets a run that waits for a second person start. Under the tenant's
 * four-eyes policy (auth.separationOfDuties.retentionRunRowsAbove) that person is not the one who
 * requested it (403 retention.four_eyes). The run is then swept by a job, or, when a flow's sweep
 * waited, its flow run goes on.
 */
export async function approveRun(
  services: RetentionServices,
  runId: string,
  context: DecisionContext,
): Promise<RunReport> {
  await services.database.db.transaction().execute(async (trx) => {
    const { run, approval } = await lockAwaitingRun(trx, context.tenantId, runId, 'approved');
    if (dutiesPolicyFor(services.config.auth, context.tenantId).retentionRunRowsAbove !== false) {
      const what = `Retention run ${runId}`;
      requirePerson(
        'retention.four_eyes',
        what,
        context.actor,
        `Approve it with your own key through the API (\`steward retention approve ${runId} --server …\`) or the console.`,
      );
      requireSecondPerson('retention.four_eyes', what, context.actor, [
        { role: 'requester', actor: approval.requestedBy },
      ]);
    }
    await decide(services, trx, run, approval, context, 'approved', null);
  });
  return readRun(services.database.db, context.tenantId, runId);
}

/**
 * Refuses a run that waits for approval, with a reason: it ends `rejected` and removes nothing.
 * Anyone with retention:run may, the requester included: stopping a removal needs no second person.
 */
export async function rejectRun(
  services: RetentionServices,
  runId: string,
  context: DecisionContext,
  reason: string,
): Promise<RunReport> {
  const text = reason.trim();
  if (text.length < 3)
    throw new InvalidInput(
      'retention.reason_required',
      'Give a reason (3 characters or more) to reject the run; it is kept with the run and in the audit log.',
    );
  await services.database.db.transaction().execute(async (trx) => {
    const { run, approval } = await lockAwaitingRun(trx, context.tenantId, runId, 'rejected');
    await decide(services, trx, run, approval, context, 'rejected', text);
  });
  return readRun(services.database.db, context.tenantId, runId);
}

async function decide(
  services: RetentionServices,
  trx: DbHandle<RetentionDatabase>,
  run: RunRow,
  approval: RunApproval,
  context: DecisionContext,
  outcome: 'approved' | 'rejected',
  reason: string | null,
): Promise<void> {
  const now = new Date();
  const by = { kind: context.actor.kind, id: context.actor.id };
  const decided: RunApproval = { ...approval, decision: { outcome, by, at: now.toISOString(), reason } };
  await trx
    .updateTable('retention_runs')
    .set({
      state: outcome === 'approved' ? 'queued' : 'rejected',
      approval: JSON.stringify(decided),
      updated_at: now,
      ...(outcome === 'rejected' ? { finished_at: now, error: `rejected: ${reason}` } : {}),
    })
    .where('tenant_id', '=', run.tenant_id)
    .where('id', '=', run.id)
    .execute();
  const facts = {
    rowsDue: approval.rowsDue,
    rowsAbove: approval.rowsAbove,
    requestedBy: approval.requestedBy,
    flowRunId: run.flow_run_id,
  };
  await recordAuditEvent(trx, {
    tenantId: run.tenant_id,
    actor: by,
    action: `retention.run.${outcome}`,
    object: { type: 'retention_run', id: run.id },
    outcome: 'success',
    ...(reason ? { reason } : {}),
    ...(context.requestId ? { requestId: context.requestId } : {}),
    details: facts,
  });
  await publishEvent(trx, {
    tenantId: run.tenant_id,
    type: `retention.run.${outcome}`,
    source: 'retention',
    topic: 'retention.runs',
    data: { runId: run.id, ...facts, decidedBy: by, ...(reason ? { reason } : {}) },
  });
  if (outcome === 'approved' && !run.flow_run_id)
    await services.jobs.enqueue(
      RETENTION_QUEUES.run,
      { tenantId: run.tenant_id, runId: run.id },
      { within: trx, idempotencyKey: `${run.id}:approved` },
    );
  await resumeWaitingFlowRun(services, trx, run);
}

/**
 * A flow run that waits on this run's decision goes on: back to `queued`, with a job that executes
 * it (its sweep task then sweeps the approved run, or fails on a rejected or cancelled one). Called
 * in the transaction that holds the run's row lock, the same lock the flow takes before it waits,
 * so a decision taken while the flow is about to wait is never missed.
 */
export async function resumeWaitingFlowRun(
  services: Pick<RetentionServices, 'jobs'>,
  trx: DbHandle<RetentionDatabase>,
  run: Pick<RunRow, 'id' | 'tenant_id' | 'flow_run_id'>,
): Promise<void> {
  if (!run.flow_run_id) return;
  const resumed = await trx
    .updateTable('retention_flow_runs')
    .set({ state: 'queued', updated_at: new Date() })
    .where('tenant_id', '=', run.tenant_id)
    .where('id', '=', run.flow_run_id)
    .where('state', '=', 'awaiting_approval')
    .executeTakeFirst();
  if (Number(resumed.numUpdatedRows) === 0) return;
  await services.jobs.enqueue(
    RETENTION_QUEUES.flowRun,
    { tenantId: run.tenant_id, flowRunId: run.flow_run_id },
    { within: trx, idempotencyKey: `${run.flow_run_id}:decided:${run.id}` },
  );
}

/** The run's row, locked until the transaction ends, if it waits for a decision. */
async function lockAwaitingRun(
  trx: DbHandle<RetentionDatabase>,
  tenantId: string,
  runId: string,
  outcome: 'approved' | 'rejected',
): Promise<{ run: RunRow; approval: RunApproval }> {
  const run = await trx
    .selectFrom('retention_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', runId)
    .forUpdate()
    .executeTakeFirst();
  if (!run)
    throw new NotFound(
      'retention.run_not_found',
      `No retention run ${runId} in tenant ${tenantId}. List runs waiting for approval with GET /v1/retention/runs?state=awaiting_approval.`,
      { runId },
    );
  if (run.state !== 'awaiting_approval' || !run.approval)
    throw new Conflict(
      'retention.run_not_awaiting_approval',
      `Run ${runId} is ${run.state}: only a run awaiting approval can be ${outcome}.`,
      { runId, state: run.state },
    );
  return { run, approval: run.approval };
}
