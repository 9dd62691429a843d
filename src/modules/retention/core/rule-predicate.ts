import type { RowPredicate } from '../../../platform/connectors/connector.ts';
import type { RetentionCondition } from '../../../platform/datamap/datamap-types.ts';

/**
 * A retention rule's `where` as a connector predicate: structured conditions only, every value a
 * bound parameter. A plain value means equality (`status: inactive`), null means IS NULL.
 */
export function conditionsPredicate(where: Record<string, RetentionCondition> | undefined): RowPredicate[] {
  return Object.entries(where ?? {}).flatMap(([column, condition]) => conditionParts(column, condition));
}

function conditionParts(column: string, condition: RetentionCondition): RowPredicate[] {
  if (condition === null || typeof condition !== 'object')
    return [{ kind: 'equals', column, value: condition }];
  const parts: RowPredicate[] = [];
  if ('eq' in condition) parts.push({ kind: 'equals', column, value: condition.eq ?? null });
  if ('ne' in condition) parts.push({ kind: 'compare', column, operator: '<>', value: condition.ne });
  if (condition.in) parts.push({ kind: 'in', columns: [column], tuples: condition.in.map((v) => [v]) });
  if (condition.notIn)
    parts.push({
      kind: 'not',
      of: { kind: 'in', columns: [column], tuples: condition.notIn.map((v) => [v]) },
    });
  if (condition.isNull === true) parts.push({ kind: 'equals', column, value: null });
  if (condition.isNull === false) parts.push({ kind: 'not', of: { kind: 'equals', column, value: null } });
  if ('lt' in condition) parts.push({ kind: 'compare', column, operator: '<', value: condition.lt });
  if ('lte' in condition) parts.push({ kind: 'compare', column, operator: '<=', value: condition.lte });
  if ('gt' in condition) parts.push({ kind: 'compare', column, operator: '>', value: condition.gt });
  if ('gte' in condition) parts.push({ kind: 'compare', column, operator: '>=', value: condition.gte });
  return parts;
}

/** Rows after a keyset position: `(a, b) > (x, y)` spelled with comparisons every connector renders. */
export function afterKey(
  columns: string[],
  key: readonly unknown[] | null | undefined,
): RowPredicate | undefined {
  if (!key) return undefined;
  const alternatives: RowPredicate[] = columns.map((column, i) => ({
    kind: 'all',
    of: [
      ...columns.slice(0, i).map((c, j): RowPredicate => ({ kind: 'equals', column: c, value: key[j] })),
      { kind: 'compare', column, operator: '>', value: key[i] },
    ],
  }));
  return alternatives.length === 1
    ? (alternatives[0] as { of: RowPredicate[] }).of[0]
    : { kind: 'any', of: alternatives };
}

/** Rows in the keyset range (after, through]: a batch of a collection without a primary key. */
export function keyRange(column: string, after: unknown, through: unknown): RowPredicate {
  const upper: RowPredicate = { kind: 'compare', column, operator: '<=', value: through };
  if (after === null || after === undefined) return upper;
  return { kind: 'all', of: [{ kind: 'compare', column, operator: '>', value: after }, upper] };
}

/** `status = 'inactive' AND tier IN (…)`, for reports (values shown, they come from the data map). */
export function describeConditions(where: Record<string, RetentionCondition> | undefined): string {
  return Object.entries(where ?? {})
    .map(([column, condition]) => {
      if (condition === null || typeof condition !== 'object')
        return `${column} = ${JSON.stringify(condition)}`;
      return Object.entries(condition)
        .map(([op, value]) => `${column} ${OPERATOR_TEXT[op] ?? op} ${JSON.stringify(value)}`)
        .join(' and ');
    })
    .join(' and ');
}

const OPERATOR_TEXT: Record<string, string> = {
  eq: '=',
  ne: '<>',
  in: 'in',
  notIn: 'not in',
  isNull: 'is null:',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
};
