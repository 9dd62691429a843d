import type { RowPredicate } from '../connector.ts';
import { keyOf } from '../row-key.ts';
import { rowMatches } from '../row-predicate.ts';
import type { LogColumn } from './log-columns.ts';
import type { LogLine } from './log-line.ts';

/** Resolves a column name of the collection (memoised by the connector). */
export type ColumnResolver = (name: string) => LogColumn;

/**
 * Whether a line satisfies a predicate. Same meaning as the SQL connectors for single values (see
 * `row-predicate.ts`, which evaluates each candidate); a multi-valued detector column matches when
 * ANY of its values does, and a column without values is NULL (never matches, not even under NOT).
 */
export function compileLinePredicate(
  predicate: RowPredicate,
  resolve: ColumnResolver,
): (line: LogLine) => boolean {
  switch (predicate.kind) {
    case 'in': {
      const keys = new Set(predicate.tuples.map((tuple) => keyOf(tuple)));
      const columns = predicate.columns.map(resolve);
      const lowercase = predicate.lowercase === true;
      return (line) =>
        combinations(columns.map((c) => line.values(c))).some((values) =>
          keys.has(keyOf(lowercase ? values.map((v) => String(v).toLowerCase()) : values)),
        );
    }
    case 'equals': {
      const column = resolve(predicate.column);
      if (predicate.value === null || predicate.value === undefined)
        return (line) => line.values(column).length === 0;
      const expected = keyOf([predicate.value]);
      return (line) => line.values(column).some((value) => keyOf([value]) === expected);
    }
    case 'compare': {
      const column = resolve(predicate.column);
      return (line) =>
        line.values(column).some((value) => rowMatches({ [predicate.column]: value }, predicate));
    }
    case 'any': {
      const parts = predicate.of.map((p) => compileLinePredicate(p, resolve));
      return (line) => parts.some((part) => part(line));
    }
    case 'all': {
      const parts = predicate.of.map((p) => compileLinePredicate(p, resolve));
      return (line) => parts.every((part) => part(line));
    }
    case 'not': {
      const part = compileLinePredicate(predicate.of, resolve);
      const columns = columnsOf(predicate.of).map(resolve);
      return (line) => columns.every((c) => line.values(c).length > 0) && !part(line);
    }
  }
}

/**
 * The values a predicate singles out for one column (its `in` and `equals` parts outside a NOT),
 * lower-cased where the comparison is; undefined when it does not constrain the column. A read
 * returns the matching one of a multi-valued column, and a write replaces only those.
 */
export function constrainedValues(
  predicate: RowPredicate,
  column: string,
): { values: Set<string>; lowercase: boolean } | undefined {
  const found = { values: new Set<string>(), lowercase: false };
  let constrained = false;
  const visit = (part: RowPredicate): void => {
    if (part.kind === 'any' || part.kind === 'all') part.of.forEach(visit);
    if (part.kind === 'equals' && part.column === column && part.value !== null) {
      found.values.add(String(part.value));
      constrained = true;
    }
    if (part.kind === 'in' && part.columns.length === 1 && part.columns[0] === column) {
      for (const tuple of part.tuples) found.values.add(String(tuple[0]));
      if (part.lowercase) found.lowercase = true;
      constrained = true;
    }
  };
  visit(predicate);
  return constrained ? found : undefined;
}

/** Whether a value is one of the constrained values. */
export function isConstrained(
  value: unknown,
  constraint: { values: Set<string>; lowercase: boolean },
): boolean {
  const text = String(value);
  return (
    constraint.values.has(constraint.lowercase ? text.toLowerCase() : text) || constraint.values.has(text)
  );
}

function columnsOf(predicate: RowPredicate): string[] {
  switch (predicate.kind) {
    case 'in':
      return predicate.columns;
    case 'equals':
    case 'compare':
      return [predicate.column];
    case 'any':
    case 'all':
      return predicate.of.flatMap(columnsOf);
    case 'not':
      return columnsOf(predicate.of);
  }
}

/** Every combination of one value per column (a detector column with two values gives two rows). */
function combinations(columns: unknown[][]): unknown[][] {
  return columns.reduce<unknown[][]>(
    (rows, values) => rows.flatMap((row) => values.map((value) => [...row, value])),
    [[]],
  );
}
