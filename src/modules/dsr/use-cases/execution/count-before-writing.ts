import type {
  ConnectorTransaction,
  CountQuery,
  Row,
  RowPredicate,
} from '../../../../platform/connectors/connector.ts';
import { keyOf } from '../../../../platform/connectors/row-key.ts';
import type { MaskChanges } from './apply-erasure.ts';
import { distinctTuples, type Fate, type StepRows } from './erasure-fates.ts';
import { BATCH_SIZE } from './subject-walker.ts';
import {
  countFingerprints,
  fingerprintOf,
  type CascadeCount,
  type FingerprintCount,
} from './verify-erasure.ts';

export interface CountedBeforeWriting {
  /** Tables without a primary key: fingerprint → rows matching it before anything was written. */
  fingerprints: Map<string, FingerprintCount>;
  /** Step id → the rows left to ON DELETE CASCADE. */
  cascades: Map<string, CascadeCount>;
}

/**
 * What the erasure counts in its transaction once the fates are decided and before it writes, in
 * one statement where the system counts several queries at once:
 * - rows of tables without a primary key that it will delete or mask, by their old values
 *   (`verifyErasure` counts again after the commit);
 * - rows left to ON DELETE CASCADE, by the keys of the parent rows that go (the report's count,
 *   and what the check after the commit expects to find gone).
 */
export async function countBeforeWriting(
  tx: ConnectorTransaction,
  byStep: Map<string, StepRows>,
  fates: Map<Row, Fate>,
  masks: Map<string, MaskChanges>,
): Promise<CountedBeforeWriting> {
  const unkeyed = unkeyedFingerprints(byStep, fates, masks);
  const cascades = cascadeQueries(byStep, fates);
  const fingerprints = new Map<string, FingerprintCount>();
  const counted = { fingerprints, cascades: new Map<string, CascadeCount>() };
  if (tx.countEach) {
    const queries: CountQuery[] = [
      ...unkeyed.flatMap(({ rows, entries }) =>
        [...entries.values()].map((e) => ({ target: rows.step.target, where: e.predicate })),
      ),
      ...cascades.flatMap(({ rows, where }) => where.map((w) => ({ target: rows.step.target, where: w }))),
    ];
    const counts = queries.length ? await tx.countEach(queries) : [];
    let next = 0;
    for (const { entries } of unkeyed)
      for (const [id, entry] of entries) fingerprints.set(id, { ...entry, before: counts[next++]! });
    for (const { rows, where, underKeptParents } of cascades) {
      let count = 0;
      for (let i = 0; i < where.length; i++) count += counts[next++]!;
      counted.cascades.set(rows.step.id, { where, count, underKeptParents });
    }
    return counted;
  }
  for (const { rows, entries } of unkeyed) {
    const before = await countFingerprints(
      tx,
      rows.step,
      [...entries.values()].map((e) => e.predicate),
    );
    [...entries].forEach(([id, entry], i) => fingerprints.set(id, { ...entry, before: before[i]! }));
  }
  for (const { rows, where, underKeptParents } of cascades) {
    let count = 0;
    for (const w of where) count += await tx.count(rows.step.target, w);
    counted.cascades.set(rows.step.id, { where, count, underKeptParents });
  }
  return counted;
}

/** Per table without a key: the old values of each row that will be deleted or masked, and how many share them. */
function unkeyedFingerprints(
  byStep: Map<string, StepRows>,
  fates: Map<Row, Fate>,
  masks: Map<string, MaskChanges>,
): { rows: StepRows; entries: Map<string, Omit<FingerprintCount, 'before'>> }[] {
  // Reference columns another collection's deletion may set to NULL: a row's old value or NULL.
  const unlinkable = new Map<string, Set<string>>();
  for (const rows of byStep.values())
    for (const reference of rows.plan.inbound) {
      const columns = unlinkable.get(reference.holder.name) ?? new Set<string>();
      reference.holderColumns.forEach((c) => columns.add(c));
      unlinkable.set(reference.holder.name, columns);
    }
  const result: { rows: StepRows; entries: Map<string, Omit<FingerprintCount, 'before'>> }[] = [];
  for (const rows of byStep.values()) {
    if (rows.step.target.primaryKey.length || rows.blind || rows.leftToCascade || rows.step.impersonal)
      continue;
    const changed = masks.get(rows.step.id)!;
    const masked = new Set(rows.plan.masks.map((m) => m.field));
    const relaxed = new Set([...(unlinkable.get(rows.step.collection) ?? [])].filter((c) => !masked.has(c)));
    const entries = new Map<string, Omit<FingerprintCount, 'before'>>();
    for (const row of rows.rows) {
      if (fates.get(row)?.kind !== 'delete' && !changed.has(row)) continue;
      const predicate = fingerprintOf(row, rows.step.columns, relaxed);
      if (!predicate) continue;
      const id = `${rows.step.id}\u0000${keyOf(rows.step.columns.map((c) => row[c]))}`;
      const entry = entries.get(id) ?? { predicate, removed: 0 };
      entry.removed++;
      entries.set(id, entry);
    }
    if (entries.size) result.push({ rows, entries });
  }
  return result;
}

/** For each collection left to ON DELETE CASCADE: its rows under the parent rows that go, and under those that stay. */
function cascadeQueries(
  byStep: Map<string, StepRows>,
  fates: Map<Row, Fate>,
): { rows: StepRows; where: RowPredicate[]; underKeptParents: RowPredicate[] }[] {
  const result: { rows: StepRows; where: RowPredicate[]; underKeptParents: RowPredicate[] }[] = [];
  for (const rows of byStep.values()) {
    const source = rows.step.sources[0];
    if (!rows.leftToCascade || source?.kind !== 'reference') continue;
    const parents = byStep.get(source.parent)!.rows;
    const goes = (row: Row) => fates.get(row)?.kind === 'delete';
    const under = (parentRows: Row[]) => {
      const keys = distinctTuples(parentRows, source.parentColumns);
      const where: RowPredicate[] = [];
      for (let i = 0; i < keys.length; i += BATCH_SIZE)
        where.push({ kind: 'in', columns: source.columns, tuples: keys.slice(i, i + BATCH_SIZE) });
      return where;
    };
    result.push({
      rows,
      where: under(parents.filter(goes)),
      underKeptParents: under(parents.filter((row) => !goes(row))),
    });
  }
  return result;
}
