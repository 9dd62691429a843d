import type { Row, RowPredicate } from './connector.ts';
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
      const { columns, lowercase } = predicate;
      return (row) => {
        const values = columns.map((c) => row[c]);
        if (values.some((v) => v === null || v === undefined)) return false;
        return keys.has(keyOf(lowercase ? values.map((v) => String(v).toLowerCase()) : values));
      };
    }
    case 'equals': {
      const expected = keyOf([predicate.value]);
      return (row) => keyOf([row[predicate.column]]) === expected;
    }
    case 'any': {
      const parts = predicate.of.map(compile);
      return (row) => parts.some((part) => part(row));
    }
    case 'all': {
      const parts = predicate.of.map(compile);
      return (row) => parts.every((part) => part(row));
    }
  }
}

/** Columns a predicate reads, so they can be selected alongside the rest. */
export function predicateColumns(predicate: RowPredicate): string[] {
  switch (predicate.kind) {
    case 'in':
      return predicate.columns;
    case 'equals':
      return [predicate.column];
    case 'any':
    case 'all':
      return [...new Set(predicate.of.flatMap(predicateColumns))];
  }
}
