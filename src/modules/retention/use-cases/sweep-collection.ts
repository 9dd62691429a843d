import { setTimeout as sleep } from 'node:timers/promises';
import type {
  Assignment,
  Connector,
  ConnectorTransaction,
  Row,
  RowPredicate,
} from '../../../platform/connectors/connector.ts';
import { keyOf } from '../../../platform/connectors/row-key.ts';
import { createMasker, type Masker } from '../../../platform/erasure/masking-strategies.ts';
import type { CollectionReport, PendingBatch } from '../core/retention-run-types.ts';
import { afterKey, keyRange } from '../core/rule-predicate.ts';
import type { InboundLink, SweepPlan } from '../core/sweep-plan.ts';

/** Where a collection's sweep stands; persisted after every batch. */
export interface SweepProgress {
  /** Keyset position after the last committed batch. */
  cursor: unknown[] | null;
  /** Set while a batch is being written; found set on resume, its outcome is recovered. */
  pending: PendingBatch | null;
  report: CollectionReport;
}

export interface SweepHooks {
  /**
   * Persists the state at a batch boundary in one transaction: the outcome of the batch just
   * written (cursor, report, rows processed) and the batch about to be written (`pending`), which
   * must be durable BEFORE the source system's transaction starts. False stops the sweep
   * (cancelled, or the claim was lost); the store then leaves no pending batch behind.
   */
  record(progress: SweepProgress, processed: number): Promise<boolean>;
  signal?: AbortSignal;
}

export interface SweepPacing {
  batchSize: number;
  pauseMs: number;
}

/**
 * Enforces a plan on one collection in keyset batches, each one short transaction on the source
 * system, with a pause between them. Every statement re-checks the due predicate, so a row the
 * application touched since it was read (a fresh login) is left alone. Resumable: the cursor and
 * the pending batch are persisted through `hooks` at each batch boundary, so after a crash the
 * sweep continues where it stopped and the rows of an interrupted batch are counted exactly once.
 * The next batch is read while the current one is written (rows after the cursor, untouched by it).
 * A run sweeps the rows due at its reference time: once it has seen as many rows as were due then
 * (`rowsSelected`), it stops rather than scan the rest of the table for more; rows back-dated
 * into the past after the run started are left to the next run.
 */
export async function sweepCollection(
  connector: Connector,
  plan: SweepPlan,
  progress: SweepProgress,
  pacing: SweepPacing,
  hooks: SweepHooks,
): Promise<'done' | 'stopped'> {
  const started = performance.now();
  const baseDuration = progress.report.durationMs;
  if (progress.pending) await recoverPendingBatch(connector, plan, progress);
  const maskers = new Map(plan.masks.map((mask) => [mask, createMasker(mask)]));
  let batch = await readBatch(connector, plan, progress.cursor, pacing.batchSize);
  if (!batch.rows.length) return 'done';
  progress.pending = await pendingOf(connector, plan, batch, progress.cursor, nextCursorOf(plan, batch));
  if (!(await hooks.record(progress, 0))) return 'stopped';
  const counted = progress.report;
  let seen = counted.rowsDeleted + counted.rowsAnonymised + counted.rowsKept + batch.rows.length;
  for (;;) {
    if (hooks.signal?.aborted) return 'stopped';
    const next = nextCursorOf(plan, batch);
    const write = connector.transaction((tx) =>
      plan.action === 'delete'
        ? deleteBatch(tx, plan, batch, progress.cursor, next)
        : anonymiseBatch(tx, plan, batch.rows, maskers),
    );
    const [outcome, following] = await Promise.all([
      write,
      batch.exhausted || seen >= counted.rowsSelected
        ? Promise.resolve(EMPTY)
        : readBatch(connector, plan, next, pacing.batchSize),
    ]);
    const report = progress.report;
    const kept = [...outcome.kept.values()].reduce((a, b) => a + b, 0);
    report.rowsDeleted += outcome.deleted;
    report.rowsAnonymised += outcome.anonymised;
    report.rowsKept += kept;
    for (const [reason, n] of outcome.kept)
      report.keptReasons[reason] = (report.keptReasons[reason] ?? 0) + n;
    for (const [child, n] of outcome.cascaded)
      report.rowsCascaded[child] = (report.rowsCascaded[child] ?? 0) + n;
    report.batches += 1;
    report.durationMs = baseDuration + Math.round(performance.now() - started);
    progress.cursor = next;
    progress.pending = following.rows.length
      ? await pendingOf(connector, plan, following, next, nextCursorOf(plan, following))
      : null;
    const processed = outcome.deleted + outcome.anonymised + kept + outcome.unchanged;
    if (!(await hooks.record(progress, processed))) return 'stopped';
    if (!following.rows.length) return 'done';
    batch = following;
    seen += batch.rows.length;
    if (pacing.pauseMs > 0) await sleep(pacing.pauseMs, undefined, { signal: hooks.signal }).catch(() => {});
  }
}

const EMPTY: Batch = { rows: [], exhausted: true };

function nextCursorOf(plan: SweepPlan, batch: Batch): unknown[] {
  const last = batch.rows[batch.rows.length - 1]!;
  return plan.keyset.map((c) => last[c]);
}

interface Batch {
  rows: Row[];
  /** Fewer rows than asked for: nothing due remains after this batch. */
  exhausted: boolean;
}

interface BatchOutcome {
  deleted: number;
  anonymised: number;
  /** Rows already anonymised (a masker recognised every value). */
  unchanged: number;
  kept: Map<string, number>;
  cascaded: Map<string, number>;
}

function emptyBatchOutcome(): BatchOutcome {
  return { deleted: 0, anonymised: 0, unchanged: 0, kept: new Map(), cascaded: new Map() };
}

/** The next due rows after the cursor, read outside any transaction (the write re-checks them). */
async function readBatch(
  connector: Connector,
  plan: SweepPlan,
  cursor: unknown[] | null,
  batchSize: number,
): Promise<Batch> {
  const after = afterKey(plan.keyset, cursor);
  const where: RowPredicate = after ? { kind: 'all', of: [plan.due, after] } : plan.due;
  const columns = [
    ...new Set([
      ...plan.keyset,
      ...plan.inbound.flatMap((l) => l.columns),
      ...plan.masks.map((m) => m.field),
    ]),
  ];
  for await (const page of connector.read({
    target: plan.target,
    columns,
    where,
    keyset: plan.keyset,
    pageSize: batchSize,
  })) {
    return { rows: page, exhausted: page.length < batchSize };
  }
  return { rows: [], exhausted: true };
}

async function pendingOf(
  connector: Connector,
  plan: SweepPlan,
  batch: Batch,
  cursor: unknown[] | null,
  next: unknown[],
): Promise<PendingBatch> {
  if (plan.target.primaryKey.length) return { keys: batch.rows.map((row) => plan.keyset.map((c) => row[c])) };
  const range = keyRange(plan.keyset[0]!, cursor?.[0], next[0]);
  return {
    range: [cursor?.[0] ?? null, next[0]],
    selected: await connector.count(plan.target, { kind: 'all', of: [plan.due, range] }),
  };
}

/**
 * A crash came between writing a batch and recording it. Keys still present were not deleted (or
 * were kept); the rest went with the interrupted commit and are counted now. Anonymised rows are
 * told by no longer being due. The sweep then continues from the cursor before that batch.
 */
async function recoverPendingBatch(
  connector: Connector,
  plan: SweepPlan,
  progress: SweepProgress,
): Promise<void> {
  const pending = progress.pending!;
  const report = progress.report;
  if ('keys' in pending) {
    const keys: RowPredicate = { kind: 'in', columns: plan.target.primaryKey, tuples: pending.keys };
    const remaining = await connector.count(
      plan.target,
      plan.action === 'delete' ? keys : { kind: 'all', of: [keys, plan.due] },
    );
    const done = Math.max(0, pending.keys.length - remaining);
    if (plan.action === 'delete') report.rowsDeleted += done;
    else report.rowsAnonymised += done;
  } else {
    const remaining = await connector.count(plan.target, {
      kind: 'all',
      of: [plan.due, keyRange(plan.keyset[0]!, pending.range[0], pending.range[1])],
    });
    report.rowsDeleted += Math.max(0, pending.selected - remaining);
  }
  report.recoveredBatches += 1;
  progress.pending = null;
}

async function deleteBatch(
  tx: ConnectorTransaction,
  plan: SweepPlan,
  batch: Batch,
  cursor: unknown[] | null,
  next: unknown[],
): Promise<BatchOutcome> {
  const outcome = emptyBatchOutcome();
  if (!plan.target.primaryKey.length) {
    // Rows without a key go by anchor range: every due row up to the batch's last anchor value, ties included.
    outcome.deleted = await tx.delete({
      target: plan.target,
      where: { kind: 'all', of: [plan.due, keyRange(plan.keyset[0]!, cursor?.[0], next[0])] },
    });
    return outcome;
  }
  let rows = batch.rows;
  for (const link of plan.inbound) rows = await withoutKeptRows(tx, link, rows, outcome);
  if (!rows.length) return outcome;
  const where: RowPredicate = {
    kind: 'all',
    of: [
      {
        kind: 'in',
        columns: plan.target.primaryKey,
        tuples: rows.map((row) => plan.target.primaryKey.map((c) => row[c])),
      },
      plan.due,
    ],
  };
  outcome.deleted = await tx.delete({ target: plan.target, where });
  return outcome;
}

/**
 * Drops the rows another collection's rows still point at through a restricting foreign key, or
 * whose cascading children are still held; counts the children that cascade with the rest.
 */
async function withoutKeptRows(
  tx: ConnectorTransaction,
  link: InboundLink,
  rows: Row[],
  outcome: BatchOutcome,
): Promise<Row[]> {
  const values = distinct(rows.map((row) => link.columns.map((c) => row[c])));
  if (!values.length) return rows;
  const referencing: RowPredicate = { kind: 'in', columns: link.holderColumns, tuples: values };
  if (link.onDelete === 'cascade' && !link.heldWhile) {
    const n = await tx.count(link.holder, referencing);
    if (n) outcome.cascaded.set(link.holderName, (outcome.cascaded.get(link.holderName) ?? 0) + n);
    return rows;
  }
  const where: RowPredicate = link.heldWhile
    ? { kind: 'all', of: [referencing, link.heldWhile] }
    : referencing;
  const blocked = new Set<string>();
  for await (const page of tx.read({ target: link.holder, columns: link.holderColumns, where, keyset: [] })) {
    for (const row of page) blocked.add(keyOf(link.holderColumns.map((c) => row[c])));
  }
  if (!blocked.size) return rows;
  const reason = link.heldWhile
    ? `${link.holderName} rows under a legal hold go with it (ON DELETE CASCADE)`
    : `still referenced by ${link.holderName} (${link.holderColumns.join(', ')}, ON DELETE ${link.onDelete.replace('_', ' ').toUpperCase()})`;
  const kept = rows.filter((row) => blocked.has(keyOf(link.columns.map((c) => row[c]))));
  outcome.kept.set(reason, (outcome.kept.get(reason) ?? 0) + kept.length);
  return rows.filter((row) => !blocked.has(keyOf(link.columns.map((c) => row[c]))));
}

/** Masks each due row's personal fields with their erasure strategies, one UPDATE per batch. */
async function anonymiseBatch(
  tx: ConnectorTransaction,
  plan: SweepPlan,
  rows: Row[],
  maskers: Map<SweepPlan['masks'][number], Masker>,
): Promise<BatchOutcome> {
  const outcome = emptyBatchOutcome();
  const keyColumns = plan.target.primaryKey;
  const set: Record<string, Assignment> = {};
  const changed = new Set<Row>();
  for (const mask of plan.masks) {
    const masker = maskers.get(mask)!;
    const values = rows.flatMap((row) => {
      const value = masker(row[mask.field]);
      if (value === undefined) return [];
      changed.add(row);
      return [{ key: keyColumns.map((c) => row[c]), value }];
    });
    if (values.length) set[mask.field] = { kind: 'per_row', keyColumns, values };
  }
  outcome.unchanged = rows.length - changed.size;
  if (!changed.size) return outcome;
  const where: RowPredicate = {
    kind: 'all',
    of: [
      { kind: 'in', columns: keyColumns, tuples: [...changed].map((row) => keyColumns.map((c) => row[c])) },
      plan.due,
    ],
  };
  outcome.anonymised = await tx.update({ target: plan.target, set, where });
  return outcome;
}

function distinct(tuples: unknown[][]): unknown[][] {
  const seen = new Map<string, unknown[]>();
  for (const tuple of tuples)
    if (!tuple.some((v) => v === null || v === undefined)) seen.set(keyOf(tuple), tuple);
  return [...seen.values()];
}
