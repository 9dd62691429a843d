import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import type { RetentionDatabase } from '../../store/retention-database.ts';
import { NotFound } from '../../../../kernel/errors/domain-error.ts';
import type { RetentionServices } from '../../retention-services.ts';
import type { RunTrigger } from '../../core/retention-run-types.ts';
import { RETENTION_QUEUES } from '../../core/retention-queues.ts';
import type { FlowRunState, FlowTaskResult } from './flow-run-types.ts';
import type { Flow } from './flow-schema.ts';
import type { DbHandle } from '../../../../kernel/database/db-handle.ts';

export interface FlowRunView {
  id: string;
  tenantId: string;
  flowId: string;
  trigger: RunTrigger;
  scheduledFor: string | null;
  dryRun: boolean;
  state: FlowRunState;
  tasks: FlowTaskResult[];
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface CreateFlowRunInput {
  flow: Flow;
  trigger: RunTrigger;
  dryRun: boolean;
  /** Who asks: its sweeps are requested by them, so they cannot approve them (four eyes). */
  actor: { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string };
  scheduledFor?: Date;
  /** Enqueue the job that executes it (default); the CLI runs it in the foreground instead. */
  enqueue?: boolean;
}

/**
 * Records a flow run with its tasks pending, and its job, in one transaction. A scheduled fire
 * time is recorded once however many schedulers see it: returns null for a duplicate.
 */
export async function createFlowRun(
  services: RetentionServices,
  input: CreateFlowRunInput,
  within?: Transaction<RetentionDatabase>,
): Promise<string | null> {
  const id = randomUUID();
  const tenantId = input.flow.namespace;
  // The flow's errors tasks follow its tasks: they run only when the flow fails.
  const tasks: FlowTaskResult[] = [...input.flow.tasks, ...input.flow.errors].map((task) => ({
    id: task.id,
    type: task.type,
    state: 'pending',
  }));
  const work = async (trx: DbHandle<RetentionDatabase>): Promise<string | null> => {
    const inserted = await trx
      .insertInto('retention_flow_runs')
      .values({
        id,
        tenant_id: tenantId,
        flow_id: input.flow.id,
        trigger: input.trigger,
        scheduled_for: input.scheduledFor ?? null,
        dry_run: input.dryRun,
        state: 'queued',
        requested_by_kind: input.actor.kind,
        requested_by_id: input.actor.id,
        tasks: JSON.stringify(tasks),
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'flow_id', 'scheduled_for'])
          .where('scheduled_for', 'is not', null)
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return null;
    await recordAuditEvent(trx, {
      tenantId,
      actor: input.actor,
      action: 'retention.flow.requested',
      object: { type: 'retention_flow_run', id },
      outcome: 'success',
      details: {
        flow: input.flow.id,
        trigger: input.trigger,
        dryRun: input.dryRun,
        scheduledFor: input.scheduledFor?.toISOString() ?? null,
      },
    });
    if (input.enqueue !== false)
      await services.jobs.enqueue(
        RETENTION_QUEUES.flowRun,
        { tenantId, flowRunId: id },
        { within: trx, idempotencyKey: `${id}:start` },
      );
    return id;
  };
  return within ? work(within) : services.database.db.transaction().execute(work);
}

/** Stores the tasks' progress and renews the claim. */
export async function saveFlowTasks(
  db: DbHandle<RetentionDatabase>,
  flowRunId: string,
  owner: string,
  leaseSeconds: number,
  tasks: FlowTaskResult[],
): Promise<void> {
  await db
    .updateTable('retention_flow_runs')
    .set({
      tasks: JSON.stringify(tasks),
      lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      updated_at: new Date(),
    })
    .where('id', '=', flowRunId)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function readFlowRun(
  db: DbHandle<RetentionDatabase>,
  tenantId: string,
  flowRunId: string,
): Promise<FlowRunView> {
  const row = await db
    .selectFrom('retention_flow_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', flowRunId)
    .executeTakeFirst();
  if (!row)
    throw new NotFound('retention.flow_run_not_found', `No flow run ${flowRunId} in tenant ${tenantId}.`, {
      flowRunId,
    });
  return {
    id: row.id,
    tenantId: row.tenant_id,
    flowId: row.flow_id,
    trigger: row.trigger,
    scheduledFor: row.scheduled_for?.toISOString() ?? null,
    dryRun: row.dry_run,
    state: row.state,
    tasks: row.tasks,
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    error: row.error,
  };
}
