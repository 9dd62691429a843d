import { hostname } from 'node:os';
import { sql } from 'kysely';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { isDomainError } from '../../../kernel/errors/domain-error.ts';
import { publishEvent } from '../../../platform/events/publish-event.ts';
import type { RetentionServices } from '../retention-services.ts';
import { dryRunCollection } from '../core/dry-run-collection.ts';
import type { CollectionReport, RunReport, RunState, SweepSettings } from '../core/retention-run-types.ts';
import { claimRunLease } from './claim-run-lease.ts';
import { readRun, readRunRows, recordBatch } from './run-store.ts';
import { sweepCollection, type SweepProgress } from './sweep-collection.ts';
import { countSweptRows } from '../metrics.ts';
import { planSweep } from '../core/sweep-plan.ts';
import { startLeaseHeartbeat } from './lease-heartbeat.ts';
import { resumeWaitingFlowRun } from './decide-run.ts';

export const RETENTION_ACTOR = { kind: 'system' as const, id: 'retention' };

export interface ExecuteOptions {
  /** Who sweeps: a job worker or the CLI; one claim per process. */
  owner?: string;
  signal?: AbortSignal;
  /** Called after every batch (the CLI draws its progress bar from it). */
  onProgress?: (progress: { rowsDone: number; rowsEstimated: number; collection: string }) => void;
}

export type ExecuteOutcome =
  | { kind: 'finished'; report: RunReport }
  | { kind: 'busy' }
  | { kind: 'stopped' }
  /** The run waits for a second person (auth.separationOfDuties): nothing was swept. */
  | { kind: 'awaiting_approval'; report: RunReport };

/**
 * Sweeps a run to its end: claims it (a run another live process holds is left to it), sweeps
 * each collection that is not done yet from its persisted cursor, several systems at once up to
 * the run's concurrency, then stores the report, audits it and emits `retention.expired` and
 * `data.deleted` events in one transaction. Calling it again on an interrupted run resumes it;
 * on a finished run it returns the stored report (idempotent).
 */
export async function executeRun(
  services: RetentionServices,
  tenantId: string,
  runId: string,
  options: ExecuteOptions = {},
): Promise<ExecuteOutcome> {
  const { db } = services.database;
  const owner = options.owner ?? `${hostname()}:${process.pid}`;
  const leaseSeconds = services.config.retention.sweep.leaseSeconds;
  const existing = await readRunRows(db, tenantId, runId);
  if (isFinished(existing.run.state)) return { kind: 'finished', report: await readRun(db, tenantId, runId) };
  if (existing.run.state === 'awaiting_approval')
    return { kind: 'awaiting_approval', report: await readRun(db, tenantId, runId) };
  const claimed = await claimRunLease(db, 'retention_runs', tenantId, runId, owner, leaseSeconds);
  if (!claimed) return { kind: 'busy' };
  const settings = claimed.settings as SweepSettings;
  const referenceTime = claimed.reference_time;
  const view = services.dataMaps.forTenant(tenantId);
  let rowsDone = Number(claimed.rows_done);
  let rowsEstimated = Number(claimed.rows_estimated);
  let cancelled = claimed.cancel_requested_at !== null;
  let lost = false;

  const sweepOne = async (row: (typeof existing.collections)[number]): Promise<void> => {
    if (
      row.state === 'done' ||
      row.state === 'failed' ||
      row.state === 'skipped' ||
      cancelled ||
      lost ||
      options.signal?.aborted
    )
      return;
    const ids = { tenantId, runId, system: row.system, collection: row.collection };
    const report: CollectionReport = { ...(row.report as CollectionReport) };
    try {
      const plan = planSweep(view, row, referenceTime);
      if (plan.problems.length) throw new SweepRefused(plan.problems);
      const system = view.system(row.system)!;
      const connector = services.connectors.forSystem(tenantId, system);
      if (claimed.dry_run) {
        const result = await dryRunCollection(
          connector,
          view,
          plan,
          services.config.retention.sweep.sampleSize,
        );
        Object.assign(report, {
          rowsSelected: result.rowsDue,
          rowsHeld: result.rowsHeld,
          // What the sweep would keep because other rows still reference it, as a sweep reports it.
          rowsKept: result.rowsReferenced,
          keptReasons: result.referencedReasons,
          sample: result.sampleKeys,
          notes: result.notes,
        });
        await finishCollection(ids, 'done', report, result.rowsDue);
        return;
      }
      if (row.state === 'pending') {
        report.rowsSelected = await connector.count(plan.target, plan.due);
        if (plan.notes.length) report.notes = plan.notes;
        rowsEstimated += report.rowsSelected;
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('retention_run_collections')
            .set({ state: 'running', started_at: new Date(), report: JSON.stringify(report) })
            .where('run_id', '=', runId)
            .where('system', '=', row.system)
            .where('collection', '=', row.collection)
            .execute();
          await trx
            .updateTable('retention_runs')
            .set({ rows_estimated: sql<number>`rows_estimated + ${report.rowsSelected}` })
            .where('id', '=', runId)
            .execute();
        });
      }
      const progress: SweepProgress = {
        cursor: (row.cursor as unknown[] | null) ?? null,
        pending: row.pending_batch ?? null,
        report,
      };
      const countSwept = countSweptRows(services.metrics, report);
      const outcome = await sweepCollection(connector, plan, progress, settings, {
        signal: options.signal,
        record: async (state, processed) => {
          const recorded = await recordBatch(db, ids, owner, leaseSeconds, state, processed);
          countSwept(state.report);
          if (!recorded.held) lost = true;
          if (recorded.cancelRequested) cancelled = true;
          rowsDone += processed;
          if (processed)
            options.onProgress?.({ rowsDone, rowsEstimated, collection: `${row.system}.${row.collection}` });
          return recorded.held && !recorded.cancelRequested;
        },
      });
      if (outcome === 'done') await finishCollection(ids, 'done', report, 0);
    } catch (error) {
      report.errors = [...report.errors, errorText(error)];
      await finishCollection(ids, 'failed', report, 0);
    }
  };

  const finishCollection = async (
    ids: { runId: string; system: string; collection: string },
    state: 'done' | 'failed',
    report: CollectionReport,
    processed: number,
  ) => {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('retention_run_collections')
        .set({
          state,
          report: JSON.stringify(report),
          pending_batch: null,
          finished_at: new Date(),
          started_at: sql<Date>`coalesce(started_at, now())`,
        })
        .where('run_id', '=', ids.runId)
        .where('system', '=', ids.system)
        .where('collection', '=', ids.collection)
        .execute();
      if (processed)
        await trx
          .updateTable('retention_runs')
          .set({
            rows_done: sql<number>`rows_done + ${processed}`,
            rows_estimated: sql<number>`rows_estimated + ${processed}`,
          })
          .where('id', '=', ids.runId)
          .execute();
    });
  };

  // Collections of one system go one after another (children first); systems run side by side.
  const bySystem = new Map<string, typeof existing.collections>();
  for (const row of existing.collections)
    bySystem.set(row.system, [...(bySystem.get(row.system) ?? []), row]);
  const heartbeat = startLeaseHeartbeat(db, 'retention_runs', runId, owner, leaseSeconds);
  try {
    await forEachLimited([...bySystem.values()], Math.max(1, settings.concurrency), async (rows) => {
      for (const row of rows) await sweepOne(row);
    });
  } finally {
    heartbeat.stop();
  }
  if (lost) return { kind: 'stopped' };
  if (options.signal?.aborted && !cancelled) {
    // Interrupted (shutdown, job timeout): release the claim so that a resume starts at once.
    await db
      .updateTable('retention_runs')
      .set({ lease_until: null })
      .where('id', '=', runId)
      .where('lease_owner', '=', owner)
      .execute();
    return { kind: 'stopped' };
  }
  return { kind: 'finished', report: await finishRun(services, tenantId, runId, owner, cancelled) };
}

async function finishRun(
  services: RetentionServices,
  tenantId: string,
  runId: string,
  owner: string,
  cancelled: boolean,
): Promise<RunReport> {
  const { db } = services.database;
  const { collections, run } = await readRunRows(db, tenantId, runId);
  const reports = collections.map((c) => c.report as CollectionReport);
  const failed = collections.filter((c) => c.state === 'failed');
  const state: RunState = cancelled ? 'cancelled' : failed.length ? 'failed' : 'completed';
  const error = failed.length
    ? failed
        .map((c) => `${c.system}.${c.collection}: ${(c.report as CollectionReport).errors.join('; ')}`)
        .join(' | ')
    : null;
  await db.transaction().execute(async (trx) => {
    const finished = await trx
      .updateTable('retention_runs')
      .set({
        state,
        finished_at: new Date(),
        lease_owner: null,
        lease_until: null,
        error,
        updated_at: new Date(),
      })
      .where('id', '=', runId)
      .where('lease_owner', '=', owner)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (Number(finished.numUpdatedRows) === 0) return;
    const totals = {
      rowsSelected: sum(reports, 'rowsSelected'),
      rowsDeleted: sum(reports, 'rowsDeleted'),
      rowsAnonymised: sum(reports, 'rowsAnonymised'),
      rowsKept: sum(reports, 'rowsKept'),
    };
    await recordAuditEvent(trx, {
      tenantId,
      actor: RETENTION_ACTOR,
      action: `retention.run.${state}`,
      object: { type: 'retention_run', id: runId },
      outcome: state === 'failed' ? 'failure' : 'success',
      ...(error ? { reason: error.slice(0, 500) } : {}),
      details: {
        dryRun: run.dry_run,
        ...totals,
        collections: reports.map((r) => ({
          collection: `${r.system}.${r.collection}`,
          rule: r.rule,
          deleted: r.rowsDeleted,
          anonymised: r.rowsAnonymised,
          kept: r.rowsKept,
          errors: r.errors.length,
        })),
      },
    });
    if (run.dry_run) return;
    for (const report of reports) {
      const base = {
        runId,
        system: report.system,
        collection: report.collection,
        rule: report.rule,
        cutoff: report.cutoff,
      };
      const common = {
        tenantId,
        source: 'retention',
        topic: `retention.${topicToken(report.system)}.${topicToken(report.collection)}`,
        orderingKey: `retention:${report.system}.${report.collection}`,
      };
      if (report.rowsSelected > 0)
        await publishEvent(trx, {
          ...common,
          type: 'retention.expired',
          data: { ...base, action: report.action, rowsDue: report.rowsSelected, rowsKept: report.rowsKept },
        });
      if (report.rowsDeleted > 0 || report.rowsAnonymised > 0) {
        await publishEvent(trx, {
          ...common,
          type: 'data.deleted',
          data: {
            ...base,
            reason: 'retention',
            rowsDeleted: report.rowsDeleted,
            rowsAnonymised: report.rowsAnonymised,
            rowsCascaded: report.rowsCascaded,
          },
        });
      }
    }
  });
  return readRun(db, tenantId, runId);
}

/**
 * Asks a run to stop after its current batch; a run that has not started (queued, or awaiting
 * approval) is cancelled at once, and a flow run waiting on it goes on.
 */
export async function cancelRun(
  services: RetentionServices,
  tenantId: string,
  runId: string,
  actor: { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string },
): Promise<RunReport> {
  const { db } = services.database;
  await readRunRows(db, tenantId, runId);
  await db.transaction().execute(async (trx) => {
    const requested = await trx
      .updateTable('retention_runs')
      .set({ cancel_requested_at: new Date(), updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .where('state', 'in', ['awaiting_approval', 'queued', 'running'])
      .where('cancel_requested_at', 'is', null)
      .returning(['id', 'tenant_id', 'flow_run_id'])
      .executeTakeFirst();
    if (!requested) return;
    // Nobody sweeps a queued or waiting run yet: it ends here. A running one stops at its next batch.
    const ended = await trx
      .updateTable('retention_runs')
      .set({ state: 'cancelled', finished_at: new Date() })
      .where('id', '=', runId)
      .where('state', 'in', ['awaiting_approval', 'queued'])
      .executeTakeFirst();
    if (Number(ended.numUpdatedRows) > 0) await resumeWaitingFlowRun(services, trx, requested);
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'retention.run.cancel_requested',
      object: { type: 'retention_run', id: runId },
      outcome: 'success',
    });
  });
  return readRun(db, tenantId, runId);
}

function isFinished(state: RunState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled' || state === 'rejected';
}

class SweepRefused extends Error {
  constructor(problems: string[]) {
    super(`not enforced: ${problems.join('; ')}`);
  }
}

function errorText(error: unknown): string {
  if (isDomainError(error) || error instanceof SweepRefused) return (error as Error).message;
  return `internal error: ${(error as Error).message ?? String(error)}`;
}

function sum(
  reports: CollectionReport[],
  key: 'rowsSelected' | 'rowsDeleted' | 'rowsAnonymised' | 'rowsKept',
): number {
  return reports.reduce((total, r) => total + r[key], 0);
}

function topicToken(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Runs `work` over items with at most `limit` at a time. */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
