import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import type { CardinalityReport } from '../core/cardinality-report.ts';
import type { LeakCheckResult } from '../core/leak-check.ts';
import type {
  MaskingPhase,
  MaskingPlanSummary,
  MaskingReport,
  MaskingRunOptions,
  MaskingRunState,
  MaskingTarget,
  TableProgress,
} from '../core/masking-run-types.ts';
import type { MaskingRunsTable, MaskingTables } from './masking-tables.ts';

/** The masking module's handle: its own tables and the tenants they belong to, nothing else. */
export type MaskingDb = Kysely<MaskingTables & CoreTables>;
export type MaskingRunRow = Selectable<MaskingRunsTable>;

export interface NewMaskingRun {
  tenantId: string;
  sourceSystem: string;
  target: MaskingTarget;
  options: MaskingRunOptions;
  keyFingerprint: string;
  actor: { kind: string; id: string };
}

export async function insertMaskingRun(db: MaskingDb, run: NewMaskingRun): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('masking_runs')
    .values({
      id,
      tenant_id: run.tenantId,
      source_system: run.sourceSystem,
      target: JSON.stringify(run.target),
      options: JSON.stringify(run.options),
      key_fingerprint: run.keyFingerprint,
      state: 'queued',
      phase: 'schema',
      requested_by_kind: run.actor.kind,
      requested_by_id: run.actor.id,
      updated_at: new Date(),
    })
    .execute();
  return id;
}

export async function readMaskingRunRow(db: MaskingDb, tenantId: string, id: string): Promise<MaskingRunRow> {
  const row = await db
    .selectFrom('masking_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row)
    throw new NotFound('masking.run_not_found', `Masking run ${id} does not exist in this tenant.`, {
      runId: id,
    });
  return row;
}

/**
 * Claims a queued or running run for `owner` unless another live process holds it, for
 * `leaseSeconds`; renewed while the copy goes on. An expired lease means its process died.
 */
export async function claimMaskingRun(
  db: MaskingDb,
  tenantId: string,
  id: string,
  owner: string,
  leaseSeconds: number,
): Promise<MaskingRunRow | undefined> {
  return db
    .updateTable('masking_runs')
    .set({
      lease_owner: owner,
      lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      state: 'running',
      started_at: sql<Date>`coalesce(started_at, now())`,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'running'])
    .where((eb) =>
      eb.or([
        eb('lease_until', 'is', null),
        eb('lease_until', '<', sql<Date>`now()`),
        eb('lease_owner', '=', owner),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Renews the lease; false when the run was taken over or ended meanwhile. Also says whether cancel was asked. */
export async function renewMaskingLease(
  db: MaskingDb,
  id: string,
  owner: string,
  leaseSeconds: number,
): Promise<{ held: boolean; cancelRequested: boolean }> {
  const row = await db
    .updateTable('masking_runs')
    .set({ lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`, updated_at: new Date() })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'running')
    .returning(['cancel_requested_at'])
    .executeTakeFirst();
  return { held: row !== undefined, cancelRequested: row?.cancel_requested_at != null };
}

/** Lets go of a run's lease so another process may resume it now rather than when the lease runs out. */
export async function releaseMaskingLease(db: MaskingDb, id: string, owner: string): Promise<void> {
  await db
    .updateTable('masking_runs')
    .set({ lease_until: sql<Date>`now() - interval '1 second'`, updated_at: new Date() })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function updateMaskingRun(
  db: MaskingDb,
  id: string,
  changes: Partial<{
    phase: MaskingPhase;
    schemaApplied: number;
    constraintsApplied: number;
    plan: MaskingPlanSummary;
    cardinality: CardinalityReport;
    leakCheck: LeakCheckResult;
  }>,
): Promise<void> {
  await db
    .updateTable('masking_runs')
    .set({
      ...(changes.phase ? { phase: changes.phase } : {}),
      ...(changes.schemaApplied !== undefined ? { schema_applied: changes.schemaApplied } : {}),
      ...(changes.constraintsApplied !== undefined
        ? { constraints_applied: changes.constraintsApplied }
        : {}),
      ...(changes.plan ? { plan: JSON.stringify(changes.plan) } : {}),
      ...(changes.cardinality ? { cardinality: JSON.stringify(changes.cardinality) } : {}),
      ...(changes.leakCheck ? { leak_check: JSON.stringify(changes.leakCheck) } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function finishMaskingRun(
  db: MaskingDb,
  id: string,
  state: Exclude<MaskingRunState, 'queued' | 'running'>,
  error?: string,
): Promise<void> {
  await db
    .updateTable('masking_runs')
    .set({
      state,
      error: error ?? null,
      finished_at: new Date(),
      lease_owner: null,
      lease_until: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function requestMaskingCancel(db: MaskingDb, tenantId: string, id: string): Promise<void> {
  const run = await readMaskingRunRow(db, tenantId, id);
  if (run.state === 'queued') {
    await finishMaskingRun(db, id, 'cancelled');
    return;
  }
  await db
    .updateTable('masking_runs')
    .set({ cancel_requested_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

/** Lists the tables of a run with their progress, inserting the missing ones as pending. */
export async function ensureRunTables(
  db: MaskingDb,
  tenantId: string,
  runId: string,
  tables: readonly string[],
): Promise<TableProgress[]> {
  if (tables.length) {
    await db
      .insertInto('masking_run_tables')
      .values(
        tables.map((table, seq) => ({
          tenant_id: tenantId,
          run_id: runId,
          table_id: table,
          seq,
          state: 'pending' as const,
          profiles: '[]',
        })),
      )
      .onConflict((oc) => oc.columns(['run_id', 'table_id']).doNothing())
      .execute();
  }
  return readRunTables(db, runId);
}

export async function readRunTables(db: MaskingDb, runId: string): Promise<TableProgress[]> {
  const rows = await db
    .selectFrom('masking_run_tables')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({
    table: row.table_id,
    state: row.state,
    rowsCopied: Number(row.rows_copied),
    profiles: row.profiles,
  }));
}

export async function markTableCopying(db: MaskingDb, runId: string, table: string): Promise<void> {
  await db
    .updateTable('masking_run_tables')
    .set({ state: 'copying', started_at: new Date(), rows_copied: 0 })
    .where('run_id', '=', runId)
    .where('table_id', '=', table)
    .execute();
}

export async function markTableDone(
  db: MaskingDb,
  runId: string,
  table: string,
  rows: number,
  profiles: TableProgress['profiles'],
): Promise<void> {
  await db
    .updateTable('masking_run_tables')
    .set({ state: 'done', rows_copied: rows, profiles: JSON.stringify(profiles), finished_at: new Date() })
    .where('run_id', '=', runId)
    .where('table_id', '=', table)
    .execute();
}

/** The run as its report: plan, tables, cardinality and leak check, as stored. */
export async function readMaskingReport(db: MaskingDb, tenantId: string, id: string): Promise<MaskingReport> {
  const run = await readMaskingRunRow(db, tenantId, id);
  const tables = await readRunTables(db, id);
  return {
    runId: run.id,
    sourceSystem: run.source_system,
    target: { kind: run.target.kind },
    state: run.state,
    phase: run.phase,
    ...(run.plan ? { plan: run.plan } : {}),
    tables: tables.map((table) => ({
      table: table.table,
      state: table.state,
      rowsCopied: table.rowsCopied,
      transformers: [...new Set(table.profiles.map((p) => p.transformer))],
    })),
    rowsCopied: tables.reduce((sum, table) => sum + table.rowsCopied, 0),
    constraintsApplied: run.constraints_applied,
    ...(run.cardinality ? { cardinality: run.cardinality } : {}),
    ...(run.leak_check ? { leakCheck: run.leak_check } : {}),
    ...(run.error ? { error: run.error } : {}),
    createdAt: run.created_at.toISOString(),
    ...(run.started_at ? { startedAt: run.started_at.toISOString() } : {}),
    ...(run.finished_at ? { finishedAt: run.finished_at.toISOString() } : {}),
  };
}

export async function listMaskingRuns(
  db: MaskingDb,
  tenantId: string,
  limit: number,
): Promise<MaskingReport[]> {
  const rows = await db
    .selectFrom('masking_runs')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return Promise.all(rows.map((row) => readMaskingReport(db, tenantId, row.id)));
}

/** Runs that were claimed by a process whose lease ran out: it died, and the run waits to be resumed. */
export async function findStalledMaskingRuns(
  db: MaskingDb,
): Promise<{ tenantId: string; runId: string; leaseUntil: Date }[]> {
  const rows = await db
    .selectFrom('masking_runs')
    .select(['tenant_id', 'id', 'lease_until'])
    .where('state', '=', 'running')
    .where('lease_until', '<', sql<Date>`now()`)
    .limit(100)
    .execute();
  return rows.map((row) => ({ tenantId: row.tenant_id, runId: row.id, leaseUntil: row.lease_until! }));
}

/** A cancelled run is queued again to be finished (`steward mask resume`); other states are left as they are. */
export async function reopenMaskingRun(db: MaskingDb, tenantId: string, id: string): Promise<void> {
  await readMaskingRunRow(db, tenantId, id);
  await db
    .updateTable('masking_runs')
    .set({ state: 'queued', cancel_requested_at: null, finished_at: null, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', '=', 'cancelled')
    .execute();
}
