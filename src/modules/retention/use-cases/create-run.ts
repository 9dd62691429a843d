import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import type { RetentionDatabase } from '../store/retention-database.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { RetentionServices } from '../retention-services.ts';
import { publishEvent } from '../../../platform/events/publish-event.ts';
import {
  emptyCollectionReport,
  type RunApproval,
  type RunTarget,
  type RunTrigger,
  type SweepSettings,
} from '../core/retention-run-types.ts';
import { RETENTION_QUEUES } from '../core/retention-queues.ts';
import { planSweep } from '../core/sweep-plan.ts';
import type { DataMapView } from '../../../platform/datamap/datamap-types.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

export interface CreateRunInput {
  tenantId: string;
  targets: RunTarget[];
  dryRun: boolean;
  trigger: RunTrigger;
  actor: Pick<Actor, 'kind' | 'id'>;
  flowRunId?: string;
  /** A stable id (flow tasks derive theirs, so a re-executed task finds its run). */
  id?: string;
  settings?: Partial<SweepSettings>;
  /** Enqueue the job that sweeps it (default); the CLI sweeps in the foreground instead. */
  enqueue?: boolean;
  referenceTime?: Date;
  /**
   * Set when the run must wait for a second person (holdForApproval): it is recorded
   * `awaiting_approval`, announced by a `retention.run.awaiting_approval` event, and no job sweeps
   * it until someone approves it.
   */
  approval?: RunApproval;
}

/**
 * Records a run: its collections in an order the foreign keys allow (referencing collections
 * before the ones they point at, so children expire before their parents), each with the cut-off
 * fixed now. The run and its job are created in one transaction. Returns the run id; an existing
 * id is returned as is (idempotent).
 */
export async function createRun(
  services: RetentionServices,
  input: CreateRunInput,
  within?: Transaction<RetentionDatabase>,
): Promise<string> {
  if (!input.targets.length)
    throw new InvalidInput(
      'retention.no_targets',
      'A retention run needs at least one collection with a retention rule.',
    );
  const view = services.dataMaps.forTenant(input.tenantId);
  const referenceTime = input.referenceTime ?? new Date();
  const ordered = childrenFirst(view, input.targets);
  const plans = ordered.map((target) => planSweep(view, target, referenceTime));
  const settings: SweepSettings = {
    batchSize: input.settings?.batchSize ?? services.config.retention.sweep.batchSize,
    pauseMs: input.settings?.pauseMs ?? services.config.retention.sweep.pauseMs,
    concurrency: input.settings?.concurrency ?? 1,
  };
  const id = input.id ?? randomUUID();
  const work = async (trx: DbHandle<RetentionDatabase>) => {
    const inserted = await trx
      .insertInto('retention_runs')
      .values({
        id,
        tenant_id: input.tenantId,
        flow_run_id: input.flowRunId ?? null,
        trigger: input.trigger,
        requested_by_kind: input.actor.kind,
        requested_by_id: input.actor.id,
        dry_run: input.dryRun,
        state: input.approval ? 'awaiting_approval' : 'queued',
        targets: JSON.stringify(ordered),
        settings: JSON.stringify(settings),
        reference_time: referenceTime,
        approval: input.approval ? JSON.stringify(input.approval) : null,
        updated_at: new Date(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return;
    await trx
      .insertInto('retention_run_collections')
      .values(
        plans.map((plan, seq) => ({
          tenant_id: input.tenantId,
          run_id: id,
          seq,
          system: plan.system,
          collection: plan.collection,
          state: 'pending' as const,
          action: plan.action,
          cutoff: plan.cutoff,
          report: JSON.stringify(emptyCollectionReport(plan, plan.ruleText, plan.action, plan.cutoff)),
        })),
      )
      .execute();
    await recordAuditEvent(trx, {
      tenantId: input.tenantId,
      actor: { kind: input.actor.kind, id: input.actor.id },
      action: 'retention.run.requested',
      object: { type: 'retention_run', id },
      outcome: 'success',
      details: {
        dryRun: input.dryRun,
        trigger: input.trigger,
        collections: ordered.map((t) => `${t.system}.${t.collection}`),
        flowRunId: input.flowRunId ?? null,
        ...(input.approval
          ? { awaitingApproval: { rowsDue: input.approval.rowsDue, rowsAbove: input.approval.rowsAbove } }
          : {}),
      },
    });
    if (input.approval) {
      await publishEvent(trx, {
        tenantId: input.tenantId,
        type: 'retention.run.awaiting_approval',
        source: 'retention',
        topic: 'retention.runs',
        data: {
          runId: id,
          flowRunId: input.flowRunId ?? null,
          rowsDue: input.approval.rowsDue,
          rowsAbove: input.approval.rowsAbove,
          requestedBy: input.approval.requestedBy,
          collections: ordered.map((t) => `${t.system}.${t.collection}`),
        },
      });
      return;
    }
    if (input.enqueue !== false)
      await services.jobs.enqueue(
        RETENTION_QUEUES.run,
        { tenantId: input.tenantId, runId: id },
        { within: trx, idempotencyKey: `${id}:start` },
      );
  };
  if (within) await work(within);
  else await services.database.db.transaction().execute(work);
  return id;
}

/** Referencing collections before the collections they point at; a cycle keeps the given order. */
export function childrenFirst(view: DataMapView, targets: RunTarget[]): RunTarget[] {
  const remaining = [...targets];
  const ordered: RunTarget[] = [];
  const key = (t: RunTarget) => `${t.system}.${t.collection}`;
  while (remaining.length) {
    const next = remaining.findIndex(
      (candidate) =>
        !remaining.some(
          (other) =>
            other !== candidate &&
            view
              .edgesOf(candidate)
              .some((e) => e.foreignKey && key(e.target) === key(candidate) && key(e.holder) === key(other)),
        ),
    );
    ordered.push(...remaining.splice(next === -1 ? 0 : next, 1));
  }
  return ordered;
}
