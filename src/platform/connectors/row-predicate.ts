import type { ComparisonOperator, Row, RowPredicate } from './connector.ts';
import { keyOf } from './row-key.ts';

/**
 * Whether a row already read satisfies a predicate, evaluated in memory with the same meaning the
 * SQL rendering has (NULL never matches an IN list). Used to tell the subject's rows from other
 * people's rows among those that reference them.
 */
export function rowMatches(row: Row, predicate: RowPredicate): boolean {
  return compile(predicate)(row);
}

/** A reusable matcher: builds the IN-list sets once for many rows. */
export function compile(predicate: RowPredicate): (row: Row) => boolean {
  switch (predicate.kind) {
    case 'in': {
      const keys = new Set(predicate.tuples.map((tuple) => keyOf(tuple)));
      const { columns, lowercase, phone } = predicate;
      return (row) => {
        const values = columns.map((c) => row[c]);
        if (values.some((v) => v === null || v === undefined)) return false;
        if (phone) return keys.has(keyOf(values.map((v) => normalisePhoneText(String(v)))));
        return keys.has(keyOf(lowercase ? values.map((v) => String(v).toLowerCase()) : values));
      };
    }
    case 'equals': {
      const expected = keyOf([predicate.value]);
      return (row) => keyOf([row[predicate.column]]) === expected;
    }
    case 'compare': {
      const { column, operator, value } = predicate;
      return (row) => {
        const order = compareValues(row[column], value);
        if (order === undefined) return false;
        return COMPARISONS[operator](order);
      };
    }
    case 'any': {
      const parts = predicate.of.map(compile);
      return (row) => parts.some((part) => part(row));
    }
    case 'all': {
      const parts = predicate.of.map(compile);
      return (row) => parts.every((part) => part(row));
    }
    case 'not': {
      // SQL's three-valued logic: NOT of a comparison with NULL is still not true.
      const part = compile(predicate.of);
      const columns = predicateColumns(predicate.of);
      return (row) => !columns.some((c) => row[c] === null || row[c] === undefined) && !part(row);
    }
  }
}

/**
 * A stored phone number in comparable form: digits and `+` only, a leading `00` read as `+`. The
 * SQL dialects compute the same (`SqlDialect.phoneExpression`).
 */
export function normalisePhoneText(text: string): string {
  return text.replace(/[^0-9+]/g, '').replace(/^00/, '+');
}

const COMPARISONS: Record<ComparisonOperator, (order: number) => boolean> = {
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
  '<>': (order) => order !== 0,
};

/** -1, 0 or 1 like SQL would order the two values; undefined when either is NULL. */
function compareValues(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  const [p, q] = [String(x), String(y)];
  return p < q ? -1 : p > q ? 1 : 0;
}

/** Dates and numeric strings (int8 and numeric arrive as text) compare as numbers. */
function comparable(value: unknown): number | string {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)))
    return Date.parse(value);
  return String(value);
}

/** Columns a predicate reads, so they can be selected alongside the rest. */
export function predicateColumns(predicate: RowPredicate): string[] {
  switch (predicate.kind) {
    case 'in':
      return predicate.columns;
    case 'equals':
    case 'compare':
      return [predicate.column];
    case 'any':
    case 'all':
      return [...new Set(predicate.of.flatMap(predicateColumns))];
    case 'not':
      return predicateColumns(predicate.of);
  }
}
