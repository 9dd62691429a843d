import type { ConnectorTransaction, Row } from '../../../../platform/connectors/connector.ts';
import { keyOf } from '../../../../platform/connectors/row-key.ts';
import { addDuration } from '../../../../platform/datamap/duration.ts';
import type {
  CollectionErasurePlan,
  InboundReference,
  PlanHold,
  PlanStep,
} from '../../core/planning/dsr-plan.ts';
import { unlinkedBeforeDelete } from '../../core/planning/erasure-order.ts';
import { BATCH_SIZE } from './subject-walker.ts';

/** The subject's rows of one collection, read inside the erasure's transaction. */
export interface StepRows {
  step: PlanStep;
  plan: CollectionErasurePlan;
  rows: Row[];
  /** Primary key → row, for collections that have one. */
  byKey?: Map<string, Row>;
  /** Whether a row read elsewhere is one of the subject's rows here. */
  member: (row: Row) => boolean;
  /**
   * Not read: every row of the subject here is deleted and nothing depends on them (no holds, no
   * masks, no references to them, no children), so one DELETE by the subject's predicate does it.
   */
  blind?: boolean;
  /**
   * Not read: every row of the subject here goes with its parent row by ON DELETE CASCADE and
   * nothing depends on them, so the rows are counted by their parents' keys instead.
   */
  leftToCascade?: boolean;
}

/** Why a row stays; absent for rows that stay only to be masked. */
export interface KeptReason {
  reason: string;
  ground?: string;
  article?: string;
  until?: Date;
  fields?: string[];
}

export type Fate = { kind: 'delete' } | { kind: 'stay'; kept?: KeptReason };

/**
 * What the data map says should happen to a row, before looking at who still points at it:
 * a collection hold keeps the row until its period ends (then it is deleted); an active field hold
 * on a deleted collection keeps the row (its other personal fields are masked).
 */
export function initialFate(rows: StepRows, row: Row, now: Date): Fate {
  const { plan } = rows;
  if (plan.action === 'none') return { kind: 'stay', kept: { reason: plan.reason ?? 'no erasure strategy' } };
  const fieldHold = plan.fieldHolds.map((hold) => activeHold(hold, row, now, [hold.field])).find(Boolean);
  if (plan.action === 'mask') return { kind: 'stay', kept: fieldHold };
  if (plan.action === 'keep') {
    const hold = activeHold(plan.hold!, row, now);
    return hold ? { kind: 'stay', kept: hold } : { kind: 'delete' };
  }
  return fieldHold ? { kind: 'stay', kept: fieldHold } : { kind: 'delete' };
}

/** A hold that still applies to the row; without a period (or an anchor value) it never ends. */
function activeHold(hold: PlanHold, row: Row, now: Date, fields?: string[]): KeptReason | undefined {
  const kept: KeptReason = { reason: hold.reason, ground: hold.ground, article: hold.article };
  if (fields) kept.fields = fields;
  const anchor = hold.anchor ? row[hold.anchor] : undefined;
  if (!hold.period || anchor === null || anchor === undefined) return kept;
  const until = addDuration(anchor instanceof Date ? anchor : new Date(String(anchor)), hold.period);
  if (Number.isNaN(until.getTime()) || until <= now) return undefined;
  return { ...kept, until };
}

/**
 * A hold with a period but no anchor of its own follows the row it was reached from: invoice lines
 * are kept as long as their invoice is, and go when the invoice's period has passed. Runs after the
 * initial fates, parents first (the plan's step order).
 */
export function inheritHolds(all: Map<string, StepRows>, fates: Map<Row, Fate>): void {
  for (const rows of all.values()) {
    const hold = rows.plan.hold;
    if (rows.plan.action !== 'keep' || !hold?.period || hold.anchor) continue;
    const source = rows.step.sources.find((s) => s.kind === 'reference');
    if (source?.kind !== 'reference') continue;
    const parentFates = new Map<string, Fate[]>();
    for (const parent of all.get(source.parent)?.rows ?? []) {
      const key = keyOf(source.parentColumns.map((c) => parent[c]));
      parentFates.set(key, [...(parentFates.get(key) ?? []), fates.get(parent)!]);
    }
    for (const row of rows.rows) {
      const parents = parentFates.get(keyOf(source.columns.map((c) => row[c]))) ?? [];
      const held = parents.find(
        (f): f is Extract<Fate, { kind: 'stay' }> => f.kind === 'stay' && Boolean(f.kept?.ground),
      );
      const own = fates.get(row);
      if (held && own?.kind === 'stay')
        fates.set(row, { kind: 'stay', kept: { ...own.kept!, until: held.kept!.until } });
      else if (parents.length && parents.every((f) => f.kind === 'delete'))
        fates.set(row, { kind: 'delete' });
    }
  }
}

/** Foreign keys that forbid deleting a row while another row that stays points at it. */
export function blocks(reference: InboundReference): boolean {
  if (reference.onDelete === 'set_null' || reference.onDelete === 'set_default') return false;
  // A nullable restricting reference is set to NULL before the delete instead (see apply-erasure.ts);
  // one whose nullability is unknown is not.
  return !unlinkedBeforeDelete(reference);
}

/** Why a referencing row keeps the row it points at; undefined once it no longer does (it is deleted). */
type KeepCheck = () => KeptReason | undefined;

/**
 * Keeps every row that a row which stays still points at through a blocking foreign key: another
 * person's row (the gift order pointing at the recipient's address), a row under a legal hold, or a
 * row that was itself kept. ON DELETE CASCADE counts as blocking here: it would delete the row
 * that must stay. Repeats until nothing changes, since keeping a row keeps what it points at.
 */
export async function keepReferencedRows(
  tx: ConnectorTransaction,
  all: Map<string, StepRows>,
  fates: Map<Row, Fate>,
  now: Date,
): Promise<void> {
  const checks: { rows: StepRows; reference: InboundReference; staysFor: Map<string, KeepCheck[]> }[] = [];
  for (const rows of all.values()) {
    for (const reference of rows.plan.inbound.filter(blocks)) {
      const values = distinctTuples(
        rows.rows.filter((r) => fates.get(r)?.kind === 'delete'),
        reference.columns,
      );
      if (!values.length) continue;
      checks.push({
        rows,
        reference,
        staysFor: await referencingRows(tx, rows, reference, values, all, fates, now),
      });
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const { rows, reference, staysFor } of checks) {
      for (const row of rows.rows) {
        if (fates.get(row)?.kind !== 'delete') continue;
        const reasons = (staysFor.get(keyOf(reference.columns.map((c) => row[c]))) ?? [])
          .map((check) => check())
          .filter((r): r is KeptReason => r !== undefined);
        // A legal hold on a referencing row is the reason that counts: the row is needed for it.
        const kept = reasons.find((r) => r.ground) ?? reasons[0];
        if (!kept) continue;
        fates.set(row, { kind: 'stay', kept });
        changed = true;
      }
    }
  }
}

const rule = (reference: InboundReference) =>
  `${reference.via}, ON DELETE ${reference.onDelete.replace('_', ' ').toUpperCase()}${
    reference.nullable === undefined && reference.onDelete !== 'cascade' ? ', nullability unknown' : ''
  }`;

/** The reason a row of the subject that stays gives to the row it points at. */
function reasonOfStaying(reference: InboundReference, fate: Fate | undefined): KeptReason | undefined {
  if (fate?.kind !== 'stay') return undefined;
  const holder = reference.holder.name;
  if (fate.kept?.ground)
    return {
      reason: `needed by ${holder} rows kept under ${fate.kept.article}: ${fate.kept.reason} (${rule(reference)})`,
      ground: fate.kept.ground,
      ...(fate.kept.article ? { article: fate.kept.article } : {}),
      ...(fate.kept.until ? { until: fate.kept.until } : {}),
    };
  if (fate.kept)
    return {
      reason: `referenced by ${holder} rows of the subject that stay (${fate.kept.reason}; ${rule(reference)})`,
    };
  return { reason: `referenced by ${holder} rows of the subject that stay, masked (${rule(reference)})` };
}

function someoneElses(reference: InboundReference): KeptReason {
  const whose = reference.undeclared
    ? `${reference.holder.name} rows (a reference the data map does not declare, so whose rows they are is unknown)`
    : `${reference.holder.name} rows that are not the subject's`;
  return { reason: `referenced by ${whose} (${rule(reference)})` };
}

/** For each referenced key: one check per referencing row, true while that row stays. */
async function referencingRows(
  tx: ConnectorTransaction,
  rows: StepRows,
  reference: InboundReference,
  values: unknown[][],
  all: Map<string, StepRows>,
  fates: Map<Row, Fate>,
  now: Date,
): Promise<Map<string, KeepCheck[]>> {
  const staysFor = new Map<string, KeepCheck[]>();
  const add = (row: Row, check: KeepCheck) => {
    const key = keyOf(reference.holderColumns.map((c) => row[c]));
    staysFor.set(key, [...(staysFor.get(key) ?? []), check]);
  };
  const holder = reference.holderStep ? all.get(reference.holderStep) : undefined;
  const reachedThrough = holder?.step.sources.some(
    (s) =>
      s.kind === 'reference' &&
      s.parent === rows.step.id &&
      same(s.columns, reference.holderColumns) &&
      same(s.parentColumns, reference.columns),
  );
  if (holder && reachedThrough) {
    // Every row pointing here through this reference is one of the subject's holder rows, already read.
    for (const row of holder.rows) add(row, () => reasonOfStaying(reference, fates.get(row)));
    return staysFor;
  }
  const columns = [
    ...new Set([
      ...reference.holder.primaryKey,
      ...reference.holderColumns,
      ...(holder ? holderColumnsNeeded(holder) : []),
    ]),
  ];
  for (let i = 0; i < values.length; i += BATCH_SIZE) {
    const where = {
      kind: 'in' as const,
      columns: reference.holderColumns,
      tuples: values.slice(i, i + BATCH_SIZE),
    };
    for await (const page of tx.read({
      target: reference.holder,
      columns,
      where,
      keyset: reference.holder.primaryKey,
    })) {
      for (const found of page) {
        if (unlinkedByMask(all, reference, found)) continue;
        if (!holder || !holder.member(found)) {
          const reason = someoneElses(reference);
          add(found, () => reason);
          continue;
        }
        const known = holder.byKey?.get(keyOf(reference.holder.primaryKey.map((c) => found[c])));
        if (known) add(found, () => reasonOfStaying(reference, fates.get(known)));
        else {
          const reason = reasonOfStaying(reference, initialFate(holder, found, now));
          add(found, () => reason);
        }
      }
    }
  }
  return staysFor;
}

/**
 * A row that names the subject as another person and whose reference to the subject's row is one
 * of the role's fields masked to NULL by this erasure (the masks run first): it will not point at
 * the row any more, so it does not keep it.
 */
function unlinkedByMask(all: Map<string, StepRows>, reference: InboundReference, found: Row): boolean {
  for (const rows of all.values()) {
    if (!rows.step.about || rows.step.collection !== reference.holder.name || !rows.byKey) continue;
    const nulled = new Set(rows.plan.masks.filter((m) => m.strategy.strategy === 'null').map((m) => m.field));
    if (!reference.holderColumns.every((c) => nulled.has(c))) continue;
    if (rows.byKey.has(keyOf(reference.holder.primaryKey.map((c) => found[c])))) return true;
  }
  return false;
}

function holderColumnsNeeded(holder: StepRows): string[] {
  const own = holder.step.sources.flatMap((s) => (s.kind === 'identity' ? [s.column] : s.columns));
  const anchors = [holder.plan.hold?.anchor, ...holder.plan.fieldHolds.map((h) => h.anchor)].filter(
    (a): a is string => Boolean(a),
  );
  return [...own, ...anchors];
}

export function distinctTuples(rows: Row[], columns: string[]): unknown[][] {
  const tuples = new Map<string, unknown[]>();
  for (const row of rows) {
    const tuple = columns.map((c) => row[c]);
    if (tuple.some((v) => v === null || v === undefined)) continue;
    tuples.set(keyOf(tuple), tuple);
  }
  return [...tuples.values()];
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
