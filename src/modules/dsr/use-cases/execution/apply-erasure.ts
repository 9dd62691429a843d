import type {
  Assignment,
  ConnectorTransaction,
  Row,
  RowPredicate,
} from '../../../../platform/connectors/connector.ts';
import { keyOf } from '../../../../platform/connectors/row-key.ts';
import type { FieldMask } from '../../core/planning/dsr-plan.ts';
import { unlinkedBeforeDelete } from '../../core/planning/erasure-order.ts';
import { distinctTuples, type Fate, type StepRows } from './erasure-fates.ts';
import type { Masker } from '../../../../platform/erasure/masking-strategies.ts';
import { BATCH_SIZE, type SubjectWalker } from './subject-walker.ts';

/** New values for one row that stays: field → value (only fields whose value changes). */
export type MaskChanges = Map<Row, Record<string, unknown>>;

/** The masked values of every row that stays, computed before anything is written (dry run shows them). */
export function computeMasks(
  rows: StepRows,
  fates: Map<Row, Fate>,
  maskers: Map<FieldMask, Masker>,
): MaskChanges {
  const changes: MaskChanges = new Map();
  if (!rows.plan.masks.length || rows.plan.action === 'none') return changes;
  for (const row of rows.rows) {
    if (fates.get(row)?.kind !== 'stay') continue;
    const set: Record<string, unknown> = {};
    for (const mask of rows.plan.masks) {
      const value = maskers.get(mask)!(row[mask.field]);
      if (value !== undefined) set[mask.field] = value;
    }
    if (Object.keys(set).length) changes.set(row, set);
  }
  return changes;
}

/**
 * Writes masked values. With a primary key: one UPDATE per batch of rows, each column a
 * `CASE key WHEN … THEN …`. Without one: the rows are addressed by the subject's predicate and the
 * old value (equal inputs mask to equal outputs, so that is exact for every deterministic strategy).
 */
export async function writeMasks(
  tx: ConnectorTransaction,
  rows: StepRows,
  changes: MaskChanges,
  walker: SubjectWalker,
): Promise<Record<string, number>> {
  const masked: Record<string, number> = {};
  const entries = [...changes.entries()];
  const { target } = rows.step;
  const keyColumns = target.primaryKey;
  if (keyColumns.length) {
    for (let i = 0; i < entries.length; i += BATCH_SIZE / 2) {
      const batch = entries.slice(i, i + BATCH_SIZE / 2);
      const set: Record<string, Assignment> = {};
      for (const mask of rows.plan.masks) {
        const values = batch
          .filter(([, s]) => mask.field in s)
          .map(([row, s]) => ({ key: keyColumns.map((c) => row[c]), value: s[mask.field] }));
        if (!values.length) continue;
        set[mask.field] = { kind: 'per_row', keyColumns, values };
        masked[mask.field] = (masked[mask.field] ?? 0) + values.length;
      }
      await tx.update({
        target,
        set,
        where: {
          kind: 'in',
          columns: keyColumns,
          tuples: batch.map(([row]) => keyColumns.map((c) => row[c])),
        },
      });
    }
    return masked;
  }
  // Without a key, rows are told apart by the old values of every masked field together: one
  // statement per distinct combination sets all fields at once, so masking one field (a reference
  // column in the subject's predicate, say) cannot hide the row from masking the next.
  const fields = rows.plan.masks.map((m) => m.field);
  const groups = new Map<string, { row: Row; set: Record<string, unknown> }>();
  for (const [row, set] of entries) groups.set(keyOf(fields.map((f) => row[f])), { row, set });
  for (const { row, set } of groups.values()) {
    const assignments = Object.fromEntries(
      Object.entries(set).map(([field, value]) => [field, { kind: 'value', value } as Assignment]),
    );
    const sameOldValues: RowPredicate[] = fields.map((field) => ({
      kind: 'equals',
      column: field,
      value: row[field],
    }));
    for (const chunk of walker.chunks(rows.step)) {
      const count = await tx.update({
        target,
        set: assignments,
        where: { kind: 'all', of: [chunk, ...sameOldValues] },
      });
      for (const field of Object.keys(set)) masked[field] = (masked[field] ?? 0) + count;
    }
  }
  return masked;
}

/**
 * Sets nullable restricting references to NULL wherever they point at rows about to be deleted:
 * what ON DELETE SET NULL would have done. Called just before those rows are deleted, when the
 * subject's own rows found through the reference are already deleted (children first) or masked,
 * so it only unlinks rows that stay: other people's (a referral), the subject's kept ones, and in a
 * cycle the subject's rows deleted next (addressed by primary key, so they are not lost).
 */
export async function detachReferences(
  tx: ConnectorTransaction,
  rows: StepRows,
  deleted: Row[],
): Promise<number> {
  let detached = 0;
  for (const reference of rows.plan.inbound) {
    if (!unlinkedBeforeDelete(reference)) continue;
    const values = distinctTuples(deleted, reference.columns);
    const set = Object.fromEntries(
      reference.holderColumns.map((c) => [c, { kind: 'value', value: null } as Assignment]),
    );
    for (let i = 0; i < values.length; i += BATCH_SIZE) {
      detached += await tx.update({
        target: reference.holder,
        set,
        where: { kind: 'in', columns: reference.holderColumns, tuples: values.slice(i, i + BATCH_SIZE) },
      });
    }
  }
  return detached;
}

/** Deletes the given rows: by primary key in batches, or (no key) by the subject's predicate. */
export async function deleteRows(
  tx: ConnectorTransaction,
  rows: StepRows,
  deleted: Row[],
  fates: Map<Row, Fate>,
  walker: SubjectWalker,
): Promise<number> {
  if (!deleted.length) return 0;
  const { target } = rows.step;
  let count = 0;
  if (target.primaryKey.length) {
    const keys = deleted.map((row) => target.primaryKey.map((c) => row[c]));
    for (let i = 0; i < keys.length; i += BATCH_SIZE) {
      count += await tx.delete({
        target,
        where: { kind: 'in', columns: target.primaryKey, tuples: keys.slice(i, i + BATCH_SIZE) },
      });
    }
    return count;
  }
  // Without a key, rows that stay differ from deleted ones only by their hold anchors.
  const everyRowGoes = rows.rows.every((row) => fates.get(row)?.kind === 'delete');
  const anchors = [rows.plan.hold?.anchor, ...rows.plan.fieldHolds.map((h) => h.anchor)].filter(
    (a): a is string => Boolean(a),
  );
  if (!everyRowGoes && !anchors.length) return 0;
  const anchorTuples = everyRowGoes ? [] : distinctTuples(deleted, anchors);
  for (const chunk of walker.chunks(rows.step)) {
    const where: RowPredicate = everyRowGoes
      ? chunk
      : { kind: 'all', of: [chunk, { kind: 'in', columns: anchors, tuples: anchorTuples }] };
    count += await tx.delete({ target, where });
  }
  return count;
}
