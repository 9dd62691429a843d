import { rm } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { Conflict, InvalidInput, isDomainError } from '../../../kernel/errors/domain-error.ts';
import { createKeyedDigest, maskingKeyFingerprint } from '../core/keyed-digest.ts';
import type { MaskingReport, TableProgress } from '../core/masking-run-types.ts';
import type { TableRules } from '../core/masking-rules.ts';
import type { CatalogTable } from '../core/source-catalog.ts';
import type { MaskMemo } from '../core/transformer-registry.ts';
import {
  claimMaskingRun,
  ensureRunTables,
  finishMaskingRun,
  markTableCopying,
  markTableDone,
  readMaskingReport,
  readRunTables,
  releaseMaskingLease,
  renewMaskingLease,
  updateMaskingRun,
  type MaskingRunRow,
} from '../store/masking-run-store.ts';
import type { CopyWriter, DatabaseReader } from '../sql/masking-database.ts';
import { buildMaskingPlan, type MaskingPlan } from './build-masking-plan.ts';
import { Cancelled } from './cancelled.ts';
import { copyTable } from './copy-table.ts';
import { MaskWorkerPool } from './mask-worker-pool.ts';
import type { MaskingDeps } from './masking-deps.ts';
import { assertEmptyTarget, openCopyWriter, openSourceReader } from './open-masking-endpoints.ts';
import { reportCardinality } from './report-cardinality.ts';
import { runLeakCheck } from './run-leak-check.ts';

const LEASE_SECONDS = 60;
const RENEW_MS = 15_000;

export type MaskingOutcome = { kind: 'finished'; report: MaskingReport } | { kind: 'held_elsewhere' };

/** Rows from which a table is worth masking on worker threads (starting them costs a few hundred ms). */
const WORKER_MIN_ROWS = 20_000;

/** Where rows are masked; either way the copy is the same, line for line. */
export interface MaskingThreads {
  /** Worker threads for large tables; 0 masks everything on the calling thread. Default: the cores available. */
  workers?: number;
  /** Planned rows from which a table goes to the workers. */
  workerMinRows?: number;
}

/**
 * Runs (or resumes) a masked copy: plan, schema, tables in parallel within a bounded pool,
 * constraints, then the leak check and the cardinality report. Every step is recorded in
 * Steward's tables as it completes — schema and constraint statements by count, tables when
 * written — so a run whose process died resumes where it stopped, re-copying only the table that
 * was in flight (emptied first; the same key gives the same rows). Cancelling stops it after the
 * current batch; a resume later finishes it.
 */
export async function executeMaskingRun(
  deps: MaskingDeps,
  tenantId: string,
  runId: string,
  options: { owner?: string; signal?: AbortSignal } & MaskingThreads = {},
): Promise<MaskingOutcome> {
  const owner = options.owner ?? `${hostname()}:${process.pid}`;
  const run = await claimMaskingRun(deps.db, tenantId, runId, owner, LEASE_SECONDS);
  if (!run) return { kind: 'held_elsewhere' };
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const renewal = setInterval(() => {
    renewMaskingLease(deps.db, runId, owner, LEASE_SECONDS)
      .then(({ held, cancelRequested }) => (!held || cancelRequested) && controller.abort())
      .catch(() => {});
  }, RENEW_MS);
  let reader: DatabaseReader | undefined;
  let writer: CopyWriter | undefined;
  let pool: MaskWorkerPool | undefined;
  try {
    const key = Buffer.from(await deps.resolveSecret(run.options.keyReference, tenantId), 'utf8');
    if (maskingKeyFingerprint(key) !== run.key_fingerprint) {
      throw new Conflict(
        'masking.key_changed',
        `The masking key ${run.options.keyReference} changed since run ${runId} started; a resumed copy must use the same key. Start a new run.`,
        { runId },
      );
    }
    const system = deps.system(tenantId, run.source_system);
    reader = await openSourceReader(system, run.options.schemas, run.options.concurrency, (ref) =>
      deps.resolveSecret(ref, tenantId),
    );
    writer = await openCopyWriter(
      run.target,
      reader.kind,
      run.options.schemas,
      run.options.concurrency,
      (ref) => deps.resolveSecret(ref, tenantId),
    );
    const fresh = run.phase === 'schema' && run.schema_applied === 0;
    if (fresh) await assertEmptyTarget(run.target, writer, run.options.schemas);
    const digest = createKeyedDigest(key);
    const plan = await buildMaskingPlan(reader, system, run.options, digest, !deps.redactText);
    await updateMaskingRun(deps.db, runId, { plan: plan.summary });
    if (fresh)
      await deps.recordAudit?.({
        tenantId,
        actor: actorOf(run),
        action: 'masking.run.requested',
        runId,
        details: {
          rows: plan.summary.totalRows,
          tables: plan.summary.tables.length,
          subset: plan.summary.subset,
        },
      });

    // Threads start now, loading the transformers while the schema is applied.
    const threadCount = options.workers ?? availableParallelism();
    if (threadCount > 0 && reader.streamCopyText && writer.writeCopyText)
      if (plan.catalog.tables.some((table) => maskedOnWorkers(plan, table, options)))
        pool = new MaskWorkerPool(threadCount, {
          key,
          locale: run.options.locale,
          defaultCountry: run.options.defaultCountry,
        });
    await applyCounted(deps, run, writer, plan.schema.preData, 'schema', controller.signal);
    const tables = await ensureRunTables(
      deps.db,
      tenantId,
      runId,
      plan.catalog.tables.map((t) => t.id),
    );
    await updateMaskingRun(deps.db, runId, { phase: 'data' });
    await copyTables(
      deps,
      run,
      plan,
      reader,
      writer,
      tables,
      digest,
      { pool, threads: options },
      controller.signal,
    );
    const postData = [
      ...plan.schema.postData.keys,
      ...plan.schema.postData.foreignKeys,
      ...plan.schema.postData.other,
    ];
    await updateMaskingRun(deps.db, runId, { phase: 'constraints' });
    await applyCounted(deps, run, writer, postData, 'constraints', controller.signal);
    await writer.finish(plan.catalog.tables);

    await updateMaskingRun(deps.db, runId, { phase: 'verify' });
    const finished = await readRunTables(deps.db, runId);
    const cardinality = reportCardinality(finished);
    const leakCheck = await runLeakCheck({
      source: reader,
      copy: writer.reader(),
      catalog: plan.catalog,
      rules: plan.rules,
      sample: run.options.leakSample,
    });
    await updateMaskingRun(deps.db, runId, { cardinality, leakCheck, phase: 'done' });
    if (!leakCheck.passed) {
      // A dump that failed the check is removed: nobody should load it. A database copy is the caller's to drop.
      if (run.target.kind === 'dump') await rm(run.target.path, { force: true });
      const columns = leakCheck.findings.map((f) => `${f.table}.${f.column} (${f.matches})`).join(', ');
      throw new InvalidInput(
        'masking.leak_detected',
        `The leak check found source values in the copy: ${columns}. The copy holds personal data: drop it, and give those columns a masking rule.`,
        { findings: leakCheck.findings },
      );
    }
    await finishMaskingRun(deps.db, runId, 'completed');
    const report = await readMaskingReport(deps.db, tenantId, runId);
    await deps.recordAudit?.({
      tenantId,
      actor: actorOf(run),
      action: 'masking.run.completed',
      runId,
      details: auditDetails(report),
    });
    return { kind: 'finished', report };
  } catch (error) {
    const cancelled = error instanceof Cancelled || controller.signal.aborted;
    const message = isDomainError(error)
      ? error.message
      : 'The masked copy failed unexpectedly; see the worker log.';
    if (cancelled) await finishMaskingRun(deps.db, runId, 'cancelled');
    else if (isDomainError(error) && error.kind !== 'unavailable')
      await finishMaskingRun(deps.db, runId, 'failed', message);
    else {
      // Unavailable or unexpected: the run stays resumable, at once by anyone (the lease is let go).
      await releaseMaskingLease(deps.db, runId, owner).catch(() => {});
      throw error;
    }
    const report = await readMaskingReport(deps.db, tenantId, runId);
    await deps.recordAudit?.({
      tenantId,
      actor: actorOf(run),
      action: cancelled ? 'masking.run.cancelled' : 'masking.run.failed',
      runId,
      details: auditDetails(report),
    });
    return { kind: 'finished', report };
  } finally {
    clearInterval(renewal);
    await pool?.close().catch(() => {});
    await writer?.close().catch(() => {});
    await reader?.close().catch(() => {});
  }
}

/**
 * Applies a phase's statements, skipping those a crashed run already applied. A database takes
 * them one by one, each counted as it succeeds; a dump writes the phase as one part, all or nothing.
 */
async function applyCounted(
  deps: MaskingDeps,
  run: MaskingRunRow,
  writer: CopyWriter,
  statements: readonly string[],
  phase: 'schema' | 'constraints',
  signal: AbortSignal,
): Promise<void> {
  const counts = await deps.db
    .selectFrom('masking_runs')
    .select(['schema_applied', 'constraints_applied'])
    .where('id', '=', run.id)
    .executeTakeFirstOrThrow();
  const done = phase === 'schema' ? counts.schema_applied : counts.constraints_applied;
  const record = (applied: number) =>
    updateMaskingRun(
      deps.db,
      run.id,
      phase === 'schema' ? { schemaApplied: applied } : { constraintsApplied: applied },
    );
  if (run.target.kind === 'dump') {
    if (done < statements.length) {
      await writer.apply(statements);
      await record(statements.length);
    }
    return;
  }
  for (let index = done; index < statements.length; index++) {
    if (signal.aborted) throw new Cancelled();
    deps.onProgress?.({ phase, rowsCopied: index, rowsPlanned: statements.length });
    await writer.apply([statements[index]!]);
    await record(index + 1);
  }
}

async function copyTables(
  deps: MaskingDeps,
  run: MaskingRunRow,
  plan: MaskingPlan,
  reader: DatabaseReader,
  writer: CopyWriter,
  progress: TableProgress[],
  digest: ReturnType<typeof createKeyedDigest>,
  masking: { pool: MaskWorkerPool | undefined; threads: MaskingThreads },
  signal: AbortSignal,
): Promise<void> {
  const { pool, threads } = masking;
  // The most work first (rows, weighted by the columns masked in each): a big table started last
  // would run alone at the end while the other copy slots stand idle. The order changes no row.
  const work = (table: CatalogTable) =>
    (plan.summary.tables.find((t) => t.table === table.id)?.rows ?? table.estimatedRows) *
    (1 + rulesOf(plan, table).columns.length);
  const todo = progress
    .filter((table) => table.state !== 'done')
    .map((table) => plan.catalog.tables.find((t) => t.id === table.table)!)
    .sort((a, b) => work(b) - work(a));
  const planned = plan.summary.totalRows;
  let copied = progress
    .filter((table) => table.state === 'done')
    .reduce((sum, table) => sum + table.rowsCopied, 0);
  const tools = {
    digest,
    locale: run.options.locale,
    defaultCountry: run.options.defaultCountry,
    redactText: deps.redactText,
  };
  const memos: MaskMemo = new Map();
  const copyOne = async (table: CatalogTable) => {
    await markTableCopying(deps.db, run.id, table.id);
    await writer.emptyTable(table);
    let reported = 0;
    const names = table.columns.filter((c) => !c.generated).map((c) => c.name);
    const rules = rulesOf(plan, table);
    const filter = plan.subset?.filterFor(table, names);
    const onWorkers = pool && maskedOnWorkers(plan, table, threads);
    const result = await copyTable({
      reader,
      writer,
      table,
      rules,
      tools,
      filter,
      condition: plan.subset?.conditionFor(table),
      signal,
      memos,
      workers: onWorkers ? pool : undefined,
      onRows(rows) {
        copied += rows - reported;
        reported = rows;
        deps.onProgress?.({
          phase: 'data',
          table: table.id,
          rowsCopied: copied,
          rowsPlanned: planned,
          ...(onWorkers ? { threads: pool.threads } : {}),
        });
      },
    });
    await markTableDone(deps.db, run.id, table.id, result.rows, result.profiles);
  };
  // A bounded pool: `concurrency` tables at once, each on its own source and target connection.
  const queue = [...todo];
  const copiers = Array.from(
    { length: Math.max(1, Math.min(run.options.concurrency, queue.length)) },
    async () => {
      for (let table = queue.shift(); table; table = queue.shift()) {
        if (signal.aborted) throw new Cancelled();
        await copyOne(table);
      }
    },
  );
  const results = await Promise.allSettled(copiers);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}

function rulesOf(plan: MaskingPlan, table: CatalogTable): TableRules {
  return (
    plan.rules.tables.find((t) => t.table === table.id) ?? { table: table.id, columns: [], inDataMap: false }
  );
}

/**
 * Whether a table's rows are masked on the worker threads: it has something to mask, no subset
 * filter decides its rows here, enough rows to be worth the hand-over, and no free text (the PII
 * detector the caller gave lives on this thread).
 */
function maskedOnWorkers(plan: MaskingPlan, table: CatalogTable, threads: MaskingThreads): boolean {
  const rules = rulesOf(plan, table);
  const names = table.columns.filter((c) => !c.generated).map((c) => c.name);
  const plannedRows = plan.summary.tables.find((t) => t.table === table.id)?.rows ?? table.estimatedRows;
  return (
    rules.columns.length > 0 &&
    !plan.subset?.filterFor(table, names) &&
    plannedRows >= (threads.workerMinRows ?? WORKER_MIN_ROWS) &&
    !rules.columns.some(
      (rule) =>
        rule.transformer === 'free_text' || Object.values(rule.params.paths ?? {}).includes('free_text'),
    )
  );
}

function actorOf(run: MaskingRunRow): { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string } {
  const kind = ['user', 'api_key', 'system', 'anonymous'].includes(run.requested_by_kind)
    ? run.requested_by_kind
    : 'system';
  return { kind: kind as 'user' | 'api_key' | 'system' | 'anonymous', id: run.requested_by_id };
}

function auditDetails(report: MaskingReport): Record<string, unknown> {
  return {
    sourceSystem: report.sourceSystem,
    target: report.target.kind,
    state: report.state,
    tables: report.tables.length,
    rowsCopied: report.rowsCopied,
    leakCheckPassed: report.leakCheck?.passed ?? null,
    leakFindings: report.leakCheck?.findings.length ?? null,
    cardinalityOutside: report.cardinality?.outside ?? null,
    error: report.error ?? null,
  };
}
