import type { Connector, ConnectorTransaction, Row } from '../../../../platform/connectors/connector.ts';
import { keyOf } from '../../../../platform/connectors/row-key.ts';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type {
  CollectionErasurePlan,
  DsrPlan,
  FieldMask,
  PlanStep,
  SystemPlan,
} from '../../core/planning/dsr-plan.ts';
import { computeMasks, deleteRows, detachReferences, writeMasks, type MaskChanges } from './apply-erasure.ts';
import { inheritHolds, initialFate, keepReferencedRows, type Fate, type StepRows } from './erasure-fates.ts';
import type { CollectionErasureReport, ErasureOptions, ErasureReport, KeptRows } from './execution-report.ts';
import {
  createMasker,
  resolveMaskKeys,
  type Masker,
} from '../../../../platform/erasure/masking-strategies.ts';
import {
  verifyErasure,
  type CascadeCount,
  type ErasureOutcome,
  type FingerprintCount,
} from './verify-erasure.ts';
import { countBeforeWriting } from './count-before-writing.ts';
import { SubjectWalker, systemOf } from './subject-walker.ts';

/**
 * Art. 17 for one system, in ONE transaction: the subject's rows are read and locked, each row's
 * fate decided (deleted, masked, or kept on a legal ground), then masks, detaches and deletes run
 * in the plan's order. Any failure rolls everything back, so the system is unchanged and the step
 * can simply run again. A re-run after success finds nothing left to do: deleted rows are gone and
 * already-masked values are recognised by the maskers.
 *
 * `dryRun` does all the reading and deciding and returns the exact rows and fields that would
 * change, without writing.
 */
export async function runErasureForSystem(
  plan: DsrPlan,
  systemId: string,
  connector: Connector,
  options: ErasureOptions = {},
): Promise<ErasureReport> {
  const system = systemOf(plan, systemId);
  if (plan.kind !== 'erasure' || !system.erasure) {
    throw new InvalidInput(
      'dsr.not_an_erasure_plan',
      `runErasureForSystem needs an erasure plan (planErasure); this one is ${plan.kind}.`,
    );
  }
  const now = options.now ?? new Date();
  const dryRun = options.dryRun === true;
  // Keys are resolved before the transaction opens: a missing secret fails without holding locks.
  const allMasks = system.erasure.collections.flatMap((c) => c.masks);
  const resolveKey = options.resolveKey ? await resolveMaskKeys(allMasks, options.resolveKey) : undefined;
  const maskers = new Map<FieldMask, Masker>(allMasks.map((m) => [m, createMasker(m, resolveKey)] as const));
  let outcome: ErasureOutcome | undefined;
  const report = await connector.transaction(async (tx) => {
    const walker = new SubjectWalker(system, plan.identities);
    const byStep = await readSubject(tx, walker, system, {
      lock: !dryRun && connector.kind !== 'http',
      signal: options.signal,
      blindDeletes: !dryRun && connector.kind !== 'http',
    });
    const fates = new Map<Row, Fate>();
    for (const rows of byStep.values())
      for (const row of rows.rows) fates.set(row, initialFate(rows, row, now));
    inheritHolds(byStep, fates);
    await keepReferencedRows(tx, byStep, fates, now);
    const masks = new Map([...byStep].map(([id, rows]) => [id, computeMasks(rows, fates, maskers)]));
    const cascaded = cascadedRows(byStep, fates);
    const report: ErasureReport = { system: systemId, dryRun, collections: [] };
    const written = new Map<string, { deleted: number; masked: Record<string, number> }>();
    if (!dryRun) {
      // An HTTP API is addressed by identity or key only: its rows are checked by the access query alone.
      const { fingerprints, cascades } =
        connector.kind === 'http'
          ? { fingerprints: new Map<string, FingerprintCount>(), cascades: new Map<string, CascadeCount>() }
          : await countBeforeWriting(tx, byStep, fates, masks);
      outcome = { byStep, fates, masks, walker, fingerprints, cascades };
      await apply(tx, system, byStep, fates, masks, cascaded, cascades, walker, written);
    }
    for (const rows of byStep.values())
      report.collections.push(
        collectionReport(rows, fates, masks.get(rows.step.id)!, cascaded, written.get(rows.step.id), dryRun, {
          leftToCascade: outcome?.cascades.get(rows.step.id)?.count ?? 0,
        }),
      );
    // Last chance to roll back: a step that timed out or lost its claim to another worker while it
    // wrote must not commit (the other worker's run is the one that counts).
    options.signal?.throwIfAborted();
    return report;
  });
  if (outcome)
    report.verification = await verifyErasure(connector, system, plan.identities, outcome, {
      rereadByKey: connector.kind !== 'http',
      // A field-limited erasure leaves the rows by design: only its fields are checked.
      rowsStay: plan.scope !== undefined,
    });
  return report;
}

async function readSubject(
  tx: ConnectorTransaction,
  walker: SubjectWalker,
  system: SystemPlan,
  options: { lock: boolean; signal?: AbortSignal; blindDeletes: boolean },
): Promise<Map<string, StepRows>> {
  const planOf = new Map(system.erasure!.collections.map((c) => [c.step, c]));
  const byStep = new Map<string, StepRows>(
    system.steps.map((step) => [
      step.id,
      { step, plan: planOf.get(step.id)!, rows: [], member: () => false },
    ]),
  );
  for (const entry of byStep.values()) {
    const unread = options.blindDeletes && !walker.hasChildren(entry.step);
    entry.blind = unread && deletableUnread(entry.plan);
    entry.leftToCascade = unread && cascadesUnread(entry.step, entry.plan);
  }
  const skip = (step: PlanStep) => {
    const entry = byStep.get(step.id)!;
    return entry.blind === true || entry.leftToCascade === true;
  };
  for await (const { step, rows } of walker.walk(tx, (s) => columnsFor(s, planOf.get(s.id)!), {
    ...options,
    skip,
  }))
    byStep.get(step.id)!.rows.push(...rows);
  for (const entry of byStep.values()) {
    // Parents are complete now, so the predicate that defines "the subject's rows" is too.
    entry.member = walker.membership(entry.step);
    const key = entry.step.target.primaryKey;
    if (key.length) entry.byKey = new Map(entry.rows.map((row) => [keyOf(key.map((c) => row[c])), row]));
  }
  return byStep;
}

function deletableUnread(plan: CollectionErasurePlan): boolean {
  return (
    plan.action === 'delete' &&
    !plan.fieldHolds.length &&
    !plan.masks.length &&
    !plan.removedByCascade &&
    !plan.inbound.length
  );
}

/**
 * Deleted by the database with its parent rows and nothing else to decide: no holds, no masks, no
 * references to it, found only through the cascading reference (the parents' fates are its fates).
 */
function cascadesUnread(step: PlanStep, plan: CollectionErasurePlan): boolean {
  const source = step.sources[0];
  return (
    plan.action === 'delete' &&
    !step.about &&
    !plan.hold &&
    !plan.fieldHolds.length &&
    !plan.masks.length &&
    !plan.inbound.length &&
    step.sources.length === 1 &&
    source?.kind === 'reference' &&
    plan.removedByCascade?.parent === source.parent
  );
}

/** Keys, masked fields, hold anchors, referenced columns; every field for tables without a key (dry-run rows). */
function columnsFor(step: PlanStep, plan: CollectionErasurePlan): string[] {
  return [
    ...step.target.primaryKey,
    ...plan.masks.map((m) => m.field),
    ...[plan.hold?.anchor, ...plan.fieldHolds.map((h) => h.anchor)].filter((a): a is string => Boolean(a)),
    ...plan.inbound.flatMap((r) => r.columns),
    ...(step.target.primaryKey.length ? [] : step.columns),
  ];
}

/** Rows the database removes itself: children of deleted parents through ON DELETE CASCADE. */
function cascadedRows(byStep: Map<string, StepRows>, fates: Map<Row, Fate>): Set<Row> {
  const cascaded = new Set<Row>();
  for (const rows of byStep.values()) {
    const via = rows.plan.removedByCascade;
    const source = rows.step.sources[0];
    if (!via || source?.kind !== 'reference') continue;
    const parent = byStep.get(via.parent)!;
    const goneParents = new Set(
      parent.rows
        .filter((r) => fates.get(r)?.kind === 'delete')
        .map((r) => keyOf(source.parentColumns.map((c) => r[c]))),
    );
    for (const row of rows.rows) {
      if (fates.get(row)?.kind === 'delete' && goneParents.has(keyOf(source.columns.map((c) => row[c]))))
        cascaded.add(row);
    }
  }
  return cascaded;
}

async function apply(
  tx: ConnectorTransaction,
  system: SystemPlan,
  byStep: Map<string, StepRows>,
  fates: Map<Row, Fate>,
  masks: Map<string, MaskChanges>,
  cascaded: Set<Row>,
  cascades: Map<string, CascadeCount>,
  walker: SubjectWalker,
  written: Map<string, { deleted: number; masked: Record<string, number> }>,
): Promise<void> {
  for (const rows of byStep.values()) written.set(rows.step.id, { deleted: 0, masked: {} });
  const operations = system.erasure!.operations;
  const deleted = (rows: StepRows) => rows.rows.filter((row) => fates.get(row)?.kind === 'delete');
  for (const op of operations.filter((o) => o.kind === 'mask')) {
    const rows = byStep.get(op.step)!;
    written.get(op.step)!.masked = await writeMasks(tx, rows, masks.get(op.step)!, walker);
  }
  // Collection by collection, children first: unlink what still points at the rows, then delete them.
  // Unlinking all at once up front would cut the reference that finds the subject's own rows of a
  // child collection before they are deleted (a page_views row without a key, found by customer_id).
  const deleteOrder = operations.filter((o) => o.kind === 'delete').map((o) => byStep.get(o.step)!);
  for (const rows of deleteOrder) {
    if (rows.leftToCascade) {
      // Under parents that go the database deletes them; under parents that stay, this does.
      let deleted = 0;
      for (const where of cascades.get(rows.step.id)?.underKeptParents ?? [])
        deleted += await tx.delete({ target: rows.step.target, where });
      written.get(rows.step.id)!.deleted = deleted;
      continue;
    }
    await detachReferences(tx, rows, deleted(rows));
    if (rows.blind) {
      let deleted = 0;
      for (const where of walker.chunks(rows.step))
        deleted += await tx.delete({ target: rows.step.target, where });
      written.get(rows.step.id)!.deleted = deleted;
      continue;
    }
    const explicit = deleted(rows).filter((row) => !cascaded.has(row));
    written.get(rows.step.id)!.deleted = await deleteRows(tx, rows, explicit, fates, walker);
  }
}

function collectionReport(
  rows: StepRows,
  fates: Map<Row, Fate>,
  masks: MaskChanges,
  cascaded: Set<Row>,
  written: { deleted: number; masked: Record<string, number> } | undefined,
  dryRun: boolean,
  counted: { leftToCascade: number },
): CollectionErasureReport {
  const gone = rows.rows.filter((row) => fates.get(row)?.kind === 'delete');
  const cascadedHere = rows.leftToCascade
    ? counted.leftToCascade
    : gone.filter((row) => cascaded.has(row)).length;
  const plannedMasks: Record<string, number> = {};
  for (const set of masks.values())
    for (const field of Object.keys(set)) plannedMasks[field] = (plannedMasks[field] ?? 0) + 1;
  const report: CollectionErasureReport = {
    collection: rows.step.collection,
    ...(rows.step.about ? { about: rows.step.about.role } : {}),
    ...(rows.plan.pseudonymised?.length ? { pseudonymised: rows.plan.pseudonymised } : {}),
    rowsDeleted: dryRun ? gone.length - cascadedHere : (written?.deleted ?? 0),
    rowsDeletedByCascade: cascadedHere,
    fieldsMasked: dryRun ? plannedMasks : (written?.masked ?? {}),
    rowsKept: keptGroups(rows, fates),
  };
  if (dryRun) {
    const key = rows.step.target.primaryKey.length ? rows.step.target.primaryKey : rows.step.columns;
    const identify = (row: Row) => Object.fromEntries(key.map((c) => [c, row[c]]));
    report.changes = {
      deleted: gone.map(identify),
      masked: [...masks].map(([row, set]) => ({ row: identify(row), fields: Object.keys(set) })),
    };
  }
  return report;
}

function keptGroups(rows: StepRows, fates: Map<Row, Fate>): KeptRows[] {
  const groups = new Map<string, KeptRows>();
  for (const row of rows.rows) {
    const fate = fates.get(row);
    if (fate?.kind !== 'stay' || !fate.kept) continue;
    const { reason, ground, article, until, fields } = fate.kept;
    const key = JSON.stringify([reason, ground, article, fields]);
    const group = groups.get(key) ?? {
      count: 0,
      reason,
      ...(ground ? { ground } : {}),
      ...(article ? { article } : {}),
      ...(fields ? { fields } : {}),
    };
    group.count++;
    const date = until?.toISOString().slice(0, 10);
    if (date && (!group.until || date > group.until)) group.until = date;
    groups.set(key, group);
  }
  return [...groups.values()];
}
