import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Selectable } from 'kysely';
import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import type { RetentionDatabase } from '../../store/retention-database.ts';
import { isDomainError } from '../../../../kernel/errors/domain-error.ts';
import { publishEvent } from '../../../../platform/events/publish-event.ts';
import type { RetentionServices } from '../../retention-services.ts';
import { idempotentJobId } from '../../../../kernel/jobs/job-engine.ts';
import { buildComplianceReport } from '../compliance-report.ts';
import { createRun } from '../create-run.ts';
import { executeRun, RETENTION_ACTOR, type ExecuteOptions } from '../execute-run.ts';
import type { RunActor, RunReport } from '../../core/retention-run-types.ts';
import { holdForApproval } from '../hold-for-approval.ts';
import { readRun } from '../run-store.ts';
import { purgeStewardData } from '../steward-data-purge.ts';
import type { FlowRunState, FlowTaskResult } from './flow-run-types.ts';
import { claimRunLease } from '../claim-run-lease.ts';
import { readFlowRun, saveFlowTasks, type FlowRunView } from './flow-run-store.ts';
import type { Flow, FlowTask, SweepTask } from './flow-schema.ts';
import { findFlow } from './load-flows.ts';
import { sweepTargets } from './sweep-targets.ts';
import { startLeaseHeartbeat } from '../lease-heartbeat.ts';

interface TaskContext {
  services: RetentionServices;
  flow: Flow;
  flowRunId: string;
  dryRun: boolean;
  /** Who asked for the flow run (the flow itself for its schedule): its sweeps' requester. */
  requester: RunActor;
  /** Results of the tasks before this one. */
  earlier: FlowTaskResult[];
  execute: ExecuteOptions;
  /** Parks the flow run while the task's retention run waits for a second person. */
  waitForApproval(runId: string): Promise<'waiting' | 'decided' | 'lost'>;
}

type TaskHandler = (
  task: FlowTask,
  context: TaskContext,
) => Promise<{ result: Record<string, unknown>; runId?: string; failure?: string }>;

/** What each task type does (STYLE.md §13: a map of handlers rather than a long switch). */
const TASK_HANDLERS: Record<FlowTask['type'], TaskHandler> = {
  'retention.sweep': (task, context) => runSweepTask(task as SweepTask, context),
  'steward.purge': async (_task, context) => ({
    result: { ...(await purgeStewardData(context.services, { dryRun: context.dryRun })) },
  }),
  'retention.report': async (_task, context) => {
    const report = await buildComplianceReport(context.services, context.flow.namespace);
    return {
      result: {
        ...report.summary,
        flagged: report.collections
          .filter((c) => c.flag)
          .map((c) => `${c.system}.${c.collection}: ${c.flag}`),
      },
    };
  },
  notify: async (task, context) => {
    const notify = task as Extract<FlowTask, { type: 'notify' }>;
    const failed = context.earlier.some((t) => t.state === 'failed');
    if ((notify.when === 'success' && failed) || (notify.when === 'failure' && !failed))
      return { result: { sent: false, reason: `only sent on ${notify.when}` } };
    await publishEvent(context.services.database.db, {
      tenantId: context.flow.namespace,
      type: 'retention.flow.notification',
      source: 'retention',
      topic: `retention.flows.${context.flow.id}`,
      data: {
        flowId: context.flow.id,
        flowRunId: context.flowRunId,
        message: notify.message,
        dryRun: context.dryRun,
        tasks: context.earlier.map(taskSummary),
      },
    });
    return { result: { sent: true } };
  },
};

/**
 * Executes a flow run task by task. Each task's outcome is stored as it finishes, so a run
 * re-executed after a crash skips what is done; a sweep task's retention run has an id derived
 * from the flow run and task, so it is found again and resumed rather than started twice.
 * A failed task stops the flow unless it allows failure (`allowFailure`; the deprecated `onFailure`
 * notify also publishes the failure); the flow's `errors` tasks then run, as in Kestra.
 */
export async function executeFlowRun(
  services: RetentionServices,
  tenantId: string,
  flowRunId: string,
  options: ExecuteOptions = {},
): Promise<FlowRunView> {
  const { db } = services.database;
  const owner = options.owner ?? `${hostname()}:${process.pid}`;
  const leaseSeconds = services.config.retention.sweep.leaseSeconds;
  const current = await readFlowRun(db, tenantId, flowRunId);
  if (current.state !== 'queued' && current.state !== 'running') return current;
  const claimed = await claimRunLease(db, 'retention_flow_runs', tenantId, flowRunId, owner, leaseSeconds);
  if (!claimed) return current;
  const heartbeat = startLeaseHeartbeat(db, 'retention_flow_runs', flowRunId, owner, leaseSeconds);
  try {
    return await runTasks(services, tenantId, flowRunId, claimed, owner, leaseSeconds, options);
  } finally {
    heartbeat.stop();
  }
}

async function runTasks(
  services: RetentionServices,
  tenantId: string,
  flowRunId: string,
  claimed: Selectable<RetentionDatabase['retention_flow_runs']>,
  owner: string,
  leaseSeconds: number,
  options: ExecuteOptions,
): Promise<FlowRunView> {
  const { db } = services.database;
  const tasks = claimed.tasks;
  const requester: RunActor =
    claimed.requested_by_kind && claimed.requested_by_id
      ? { kind: claimed.requested_by_kind as RunActor['kind'], id: claimed.requested_by_id }
      : RETENTION_ACTOR;
  let stopped = false;
  let flowError: string | undefined;
  let flow: Flow | undefined;
  try {
    flow = findFlow(
      services.config,
      services.dataMaps,
      claimed.flow_id,
      tenantId,
      services.retentionFlowFiles,
    ).flow;
  } catch (error) {
    flowError = (error as Error).message;
  }
  const main = flow?.tasks.length ?? 0;
  for (const [index, task] of (flow ? [...flow.tasks, ...flow.errors] : []).entries()) {
    const entry = tasks[index] ?? { id: task.id, type: task.type, state: 'pending' };
    tasks[index] = entry;
    if (entry.state === 'done' || entry.state === 'failed' || entry.state === 'skipped') continue;
    // Kestra's errors: tasks after the flow's own that run only when one of those failed.
    const errorHandler = index >= main;
    const failedBefore = tasks.slice(0, main).some((t) => t.state === 'failed');
    if (errorHandler ? !failedBefore : stopped && !(task.type === 'notify' && task.when !== 'success')) {
      entry.state = 'skipped';
      continue;
    }
    entry.state = 'running';
    entry.startedAt ??= new Date().toISOString();
    await saveFlowTasks(db, flowRunId, owner, leaseSeconds, tasks);
    try {
      const outcome = await TASK_HANDLERS[task.type](task, {
        services,
        flow: flow!,
        flowRunId,
        dryRun: claimed.dry_run,
        requester,
        earlier: tasks.slice(0, index),
        execute: { ...options, owner },
        waitForApproval: async (runId) => {
          entry.state = 'awaiting_approval';
          entry.runId = runId;
          const waiting = await parkFlowRun(db, tenantId, flowRunId, runId, owner, tasks);
          if (waiting !== 'waiting') entry.state = 'running';
          return waiting;
        },
      });
      if (outcome.runId) entry.runId = outcome.runId;
      entry.result = outcome.result;
      if (outcome.failure) throw new TaskFailed(outcome.failure);
      entry.state = 'done';
    } catch (error) {
      if (error instanceof AwaitingApproval) return readFlowRun(db, tenantId, flowRunId);
      if (error instanceof Interrupted) {
        await saveFlowTasks(db, flowRunId, owner, leaseSeconds, tasks);
        return readFlowRun(db, tenantId, flowRunId);
      }
      entry.state = 'failed';
      entry.error = errorText(error);
      if (task.onFailure === 'stop') stopped = true;
      if (task.onFailure === 'notify') await notifyFailure(services, flow!, flowRunId, entry);
    }
    entry.finishedAt = new Date().toISOString();
    await saveFlowTasks(db, flowRunId, owner, leaseSeconds, tasks);
  }
  const failed = tasks.filter((t) => t.state === 'failed');
  const state: FlowRunState = flowError || failed.length ? 'failed' : 'completed';
  const error = flowError ?? (failed.length ? failed.map((t) => `${t.id}: ${t.error}`).join('; ') : null);
  await db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('retention_flow_runs')
      .set({
        state,
        tasks: JSON.stringify(tasks),
        error,
        finished_at: new Date(),
        lease_owner: null,
        lease_until: null,
        updated_at: new Date(),
      })
      .where('id', '=', flowRunId)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return;
    await recordAuditEvent(trx, {
      tenantId,
      actor: RETENTION_ACTOR,
      action: `retention.flow.${state}`,
      object: { type: 'retention_flow_run', id: flowRunId },
      outcome: state === 'failed' ? 'failure' : 'success',
      ...(error ? { reason: error.slice(0, 500) } : {}),
      details: { flow: claimed.flow_id, dryRun: claimed.dry_run, tasks: tasks.map(taskSummary) },
    });
    await publishEvent(trx, {
      tenantId,
      type: `retention.flow.${state}`,
      source: 'retention',
      topic: `retention.flows.${claimed.flow_id}`,
      data: {
        flowId: claimed.flow_id,
        flowRunId,
        dryRun: claimed.dry_run,
        tasks: tasks.map(taskSummary),
        ...(error ? { error } : {}),
      },
    });
  });
  return readFlowRun(db, tenantId, flowRunId);
}

async function runSweepTask(
  task: SweepTask,
  context: TaskContext,
): Promise<{ result: Record<string, unknown>; runId?: string; failure?: string }> {
  const { services, flow, flowRunId } = context;
  const targets = sweepTargets(services, flow, task);
  if (!targets.length)
    return { result: { collections: 0, note: 'no collection with a retention rule in these systems' } };
  const runId = idempotentJobId('retention.flow-task', `${flowRunId}:${task.id}`);
  const exists = await services.database.db
    .selectFrom('retention_runs')
    .select('id')
    .where('tenant_id', '=', flow.namespace)
    .where('id', '=', runId)
    .executeTakeFirst();
  // Counted once, when the task first runs: a resumed or approved task finds its run as it was recorded.
  if (!exists) {
    const referenceTime = new Date();
    const approval = context.dryRun
      ? undefined
      : await holdForApproval(services, flow.namespace, targets, referenceTime, context.requester);
    await createRun(services, {
      id: runId,
      tenantId: flow.namespace,
      targets,
      dryRun: context.dryRun,
      trigger: 'flow',
      flowRunId,
      actor: context.requester,
      enqueue: false,
      referenceTime,
      ...(approval ? { approval } : {}),
      settings: {
        concurrency: task.concurrency,
        ...(task.batchSize ? { batchSize: task.batchSize } : {}),
        ...(task.pauseMs !== undefined ? { pauseMs: task.pauseMs } : {}),
      },
    });
  }
  const report = await sweepToTheEnd(services, flow.namespace, runId, context);
  const result = runSummary(report);
  return report.state === 'completed'
    ? { result, runId }
    : { result, runId, failure: report.error ?? `retention run ${report.state}` };
}

/**
 * Executes the run; if another live process holds it, waits for that one to finish it. A run that
 * waits for a second person parks the flow run (AwaitingApproval) until someone decides.
 */
async function sweepToTheEnd(
  services: RetentionServices,
  tenantId: string,
  runId: string,
  context: Pick<TaskContext, 'execute' | 'waitForApproval'>,
): Promise<RunReport> {
  const options = context.execute;
  for (;;) {
    const outcome = await executeRun(services, tenantId, runId, options);
    if (outcome.kind === 'finished') return outcome.report;
    if (outcome.kind === 'awaiting_approval') {
      const waiting = await context.waitForApproval(runId);
      if (waiting === 'waiting') throw new AwaitingApproval();
      if (waiting === 'lost') throw new Interrupted();
      continue; // decided while this process looked: execute it as it is now
    }
    if (outcome.kind === 'stopped' || options.signal?.aborted) throw new Interrupted();
    await sleep(1000, undefined, { signal: options.signal }).catch(() => {});
    const report = await readRun(services.database.db, tenantId, runId);
    if (report.state === 'completed' || report.state === 'failed' || report.state === 'cancelled')
      return report;
  }
}

export function runSummary(report: RunReport): Record<string, unknown> {
  const total = (key: 'rowsSelected' | 'rowsDeleted' | 'rowsAnonymised' | 'rowsKept') =>
    report.collections.reduce((sum, c) => sum + c[key], 0);
  return {
    runId: report.id,
    state: report.state,
    collections: report.collections.length,
    rowsDue: total('rowsSelected'),
    rowsDeleted: total('rowsDeleted'),
    rowsAnonymised: total('rowsAnonymised'),
    rowsKept: total('rowsKept'),
    durationMs: report.durationMs,
  };
}

async function notifyFailure(
  services: RetentionServices,
  flow: Flow,
  flowRunId: string,
  entry: FlowTaskResult,
): Promise<void> {
  await publishEvent(services.database.db, {
    tenantId: flow.namespace,
    type: 'retention.flow.task_failed',
    source: 'retention',
    topic: `retention.flows.${flow.id}`,
    data: { flowId: flow.id, flowRunId, task: entry.id, error: entry.error },
  });
}

function taskSummary(task: FlowTaskResult): Record<string, unknown> {
  return {
    id: task.id,
    type: task.type,
    state: task.state,
    ...(task.runId ? { runId: task.runId } : {}),
    ...(task.error ? { error: task.error } : {}),
  };
}

/**
 * Parks a flow run whose sweep waits for a second person: `awaiting_approval`, its claim released.
 * The run's row is locked first, as approveRun, rejectRun and cancelRun lock it: a decision either
 * comes before (the run no longer waits: 'decided') or finds the flow run parked and resumes it.
 */
async function parkFlowRun(
  db: RetentionServices['database']['db'],
  tenantId: string,
  flowRunId: string,
  runId: string,
  owner: string,
  tasks: FlowTaskResult[],
): Promise<'waiting' | 'decided' | 'lost'> {
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('retention_runs')
      .select('state')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .forUpdate()
      .executeTakeFirst();
    if (run?.state !== 'awaiting_approval') return 'decided';
    const parked = await trx
      .updateTable('retention_flow_runs')
      .set({
        state: 'awaiting_approval',
        tasks: JSON.stringify(tasks),
        lease_owner: null,
        lease_until: null,
        updated_at: new Date(),
      })
      .where('id', '=', flowRunId)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(parked.numUpdatedRows) > 0 ? 'waiting' : 'lost';
  });
}

class TaskFailed extends Error {}
/** A sweep waits for a second person: the flow run is parked, not failed. */
class AwaitingApproval extends Error {}
/** The process is stopping: the run is left for a resume, not failed. */
class Interrupted extends Error {}

function errorText(error: unknown): string {
  if (isDomainError(error) || error instanceof TaskFailed) return (error as Error).message;
  return `internal error: ${(error as Error).message ?? String(error)}`;
}
