import { sql } from 'kysely';
import type { RetentionDatabase } from '../store/retention-database.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import type { CollectionReport, PendingBatch, RunReport, RunState } from '../core/retention-run-types.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

type Db = DbHandle<RetentionDatabase>;

/**
 * Records a batch boundary: renews the claim and adds the rows to the run's progress, and only if
 * the claim still holds, stores the collection's cursor, report and next pending batch. A process
 * that lost its claim (it stalled and another took over) writes nothing, so no batch is counted
 * twice; a cancelled run gets no pending batch, since it will not be written.
 */
export async function recordBatch(
  db: Db,
  ids: { tenantId: string; runId: string; system: string; collection: string },
  owner: string,
  leaseSeconds: number,
  progress: { cursor: unknown[] | null; pending: PendingBatch | null; report: CollectionReport },
  processed: number,
): Promise<{ held: boolean; cancelRequested: boolean }> {
  return db.transaction().execute(async (trx) => {
    // A boundary without a batch to write next needs no wait for the disk: the next durable commit
    // (WAL is sequential) or, should the server lose it, the pending batch it clears, cover it.
    if (!progress.pending) await sql`set local synchronous_commit = off`.execute(trx);
    const run = await trx
      .updateTable('retention_runs')
      .set({
        rows_done: sql<number>`rows_done + ${processed}`,
        lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
        updated_at: new Date(),
      })
      .where('tenant_id', '=', ids.tenantId)
      .where('id', '=', ids.runId)
      .where('lease_owner', '=', owner)
      .returning(['cancel_requested_at'])
      .executeTakeFirst();
    if (!run) return { held: false, cancelRequested: false };
    const cancelRequested = run.cancel_requested_at !== null;
    const pending = cancelRequested ? null : progress.pending;
    await trx
      .updateTable('retention_run_collections')
      .set({
        cursor: JSON.stringify(progress.cursor),
        pending_batch: pending ? JSON.stringify(pending) : null,
        report: JSON.stringify(progress.report),
      })
      .where('run_id', '=', ids.runId)
      .where('system', '=', ids.system)
      .where('collection', '=', ids.collection)
      .execute();
    return { held: true, cancelRequested };
  });
}

export async function readRunRows(db: Db, tenantId: string, runId: string) {
  const run = await db
    .selectFrom('retention_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!run)
    throw new NotFound(
      'retention.run_not_found',
      `No retention run ${runId} in tenant ${tenantId}. List runs with GET /v1/retention/runs or \`steward retention runs\`.`,
      { runId },
    );
  const collections = await db
    .selectFrom('retention_run_collections')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
  return { run, collections };
}

/** The API's and CLI's view of a run. */
export async function readRun(db: Db, tenantId: string, runId: string): Promise<RunReport> {
  const { run, collections } = await readRunRows(db, tenantId, runId);
  return {
    id: run.id,
    tenantId: run.tenant_id,
    flowRunId: run.flow_run_id,
    trigger: run.trigger,
    dryRun: run.dry_run,
    state: run.state,
    referenceTime: run.reference_time.toISOString(),
    rowsEstimated: Number(run.rows_estimated),
    rowsDone: Number(run.rows_done),
    startedAt: run.started_at?.toISOString() ?? null,
    finishedAt: run.finished_at?.toISOString() ?? null,
    durationMs:
      run.started_at && run.finished_at ? run.finished_at.getTime() - run.started_at.getTime() : null,
    cancelRequested: run.cancel_requested_at !== null,
    error: run.error,
    approval: run.approval,
    collections: collections.map((c) => ({ ...c.report, state: c.state })),
  };
}

export interface RunListItem {
  id: string;
  state: RunState;
  trigger: string;
  dryRun: boolean;
  flowRunId: string | null;
  rowsEstimated: number;
  rowsDone: number;
  createdAt: string;
  finishedAt: string | null;
}

/** Newest first, keyset-paged by (created_at, id). */
export async function listRuns(
  db: Db,
  tenantId: string,
  options: { limit: number; state?: RunState; before?: { createdAt: Date; id: string } },
): Promise<RunListItem[]> {
  let query = db
    .selectFrom('retention_runs')
    .select([
      'id',
      'state',
      'trigger',
      'dry_run',
      'flow_run_id',
      'rows_estimated',
      'rows_done',
      'created_at',
      'finished_at',
    ])
    .where('tenant_id', '=', tenantId);
  if (options.state) query = query.where('state', '=', options.state);
  if (options.before) {
    const { createdAt, id } = options.before;
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    trigger: r.trigger,
    dryRun: r.dry_run,
    flowRunId: r.flow_run_id,
    rowsEstimated: Number(r.rows_estimated),
    rowsDone: Number(r.rows_done),
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  }));
}
