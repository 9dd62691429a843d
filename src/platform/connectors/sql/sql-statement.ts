import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type {
  Assignment,
  CollectionTarget,
  CountQuery,
  DeleteSpec,
  ReadSpec,
  RowPredicate,
  UpdateSpec,
} from '../connector.ts';
import type { SqlDialect } from './sql-dialect.ts';

/** A statement ready for the driver: text with placeholders and the values that fill them. */
export interface SqlStatement {
  text: string;
  params: unknown[];
  /**
   * The text changes with the input (how many queries a batch holds), so preparing it by name would
   * leave one-off statements on the connection.
   */
  shapeVaries?: boolean;
}

/** Scalar subqueries per counting statement, and the parameters they may bind together (MySQL's limit is 65 535). */
const COUNTS_PER_STATEMENT = 100;
const PARAMETERS_PER_STATEMENT = 10_000;

/**
 * Renders connector operations as SQL of one dialect. Every value becomes a parameter; only
 * identifiers (quoted by the dialect) and integers Steward chose itself (page sizes) are written
 * into the text.
 */
export class SqlStatementRenderer {
  readonly dialect: SqlDialect;
  constructor(dialect: SqlDialect) {
    this.dialect = dialect;
  }

  select(spec: ReadSpec, after?: unknown[]): SqlStatement {
    const out = new StatementText(this.dialect);
    const columns = spec.columns.map((c) => out.id(c)).join(', ');
    let where = out.predicate(spec.where);
    if (after && spec.keyset.length) where = `(${where}) AND ${out.keysetAfter(spec.keyset, after)}`;
    let text = `SELECT ${columns} FROM ${out.table(spec.target)} WHERE ${where}`;
    if (spec.keyset.length) {
      text += ` ORDER BY ${spec.keyset.map((c) => out.id(c)).join(', ')} LIMIT ${pageSizeOf(spec.pageSize)}`;
    }
    if (spec.lock) text += ' FOR UPDATE';
    return out.finish(text);
  }

  count(target: CollectionTarget, where: RowPredicate): SqlStatement {
    const out = new StatementText(this.dialect);
    return out.finish(`SELECT count(*) AS n FROM ${out.table(target)} WHERE ${out.predicate(where)}`);
  }

  /**
   * Counts of several queries as few statements as the limits allow: `SELECT (SELECT count(*) FROM
   * … WHERE …) AS c0, (…) AS c1, …`, one row whose columns are the counts in order.
   */
  counts(queries: readonly CountQuery[]): SqlStatement[] {
    const statements: SqlStatement[] = [];
    let out = new StatementText(this.dialect);
    let parts: string[] = [];
    const flush = () => {
      if (parts.length) statements.push({ ...out.finish(`SELECT ${parts.join(', ')}`), shapeVaries: true });
      out = new StatementText(this.dialect);
      parts = [];
    };
    for (const query of queries) {
      // A statement takes queries until it holds enough; one query's chunk adds at most a few thousand.
      if (parts.length >= COUNTS_PER_STATEMENT || out.params.length >= PARAMETERS_PER_STATEMENT) flush();
      parts.push(
        `(SELECT count(*) FROM ${out.table(query.target)} WHERE ${out.predicate(query.where)}) AS c${parts.length}`,
      );
    }
    flush();
    return statements;
  }

  delete(spec: DeleteSpec): SqlStatement {
    const out = new StatementText(this.dialect);
    return out.finish(`DELETE FROM ${out.table(spec.target)} WHERE ${out.predicate(spec.where)}`);
  }

  update(spec: UpdateSpec): SqlStatement {
    const out = new StatementText(this.dialect);
    const entries = Object.entries(spec.set);
    if (!entries.length)
      throw new InvalidInput(
        'connector.empty_update',
        `An update of ${spec.target.name} must set at least one column.`,
      );
    const assignments = entries.map(
      ([column, assignment]) => `${out.id(column)} = ${out.assignment(column, assignment)}`,
    );
    return out.finish(
      `UPDATE ${out.table(spec.target)} SET ${assignments.join(', ')} WHERE ${out.predicate(spec.where)}`,
    );
  }
}

const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '<>']);

export function pageSizeOf(pageSize: number | undefined): number {
  const size = pageSize ?? 1000;
  if (!Number.isInteger(size) || size < 1 || size > 100_000) {
    throw new InvalidInput(
      'connector.bad_page_size',
      `Page size ${size} must be an integer between 1 and 100000.`,
    );
  }
  return size;
}

/**
 * Accumulates parameters while the text is built, so placeholders are numbered in order. Build the
 * text in reading order: MySQL's `?` markers are filled by position.
 */
export class StatementText {
  readonly #dialect: SqlDialect;
  readonly params: unknown[] = [];
  constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
  }

  get dialect(): SqlDialect {
    return this.#dialect;
  }

  id(name: string): string {
    return this.#dialect.quoteIdentifier(name);
  }

  table(target: CollectionTarget): string {
    return target.schema ? `${this.id(target.schema)}.${this.id(target.name)}` : this.id(target.name);
  }

  param(value: unknown): string {
    // Drivers reject `undefined`; an absent value is SQL NULL.
    this.params.push(value === undefined ? null : value);
    return this.#dialect.placeholder(this.params.length);
  }

  predicate(predicate: RowPredicate): string {
    switch (predicate.kind) {
      case 'in':
        return this.inList(
          predicate.columns,
          predicate.tuples,
          predicate.lowercase === true,
          predicate.phone === true,
        );
      case 'equals':
        return predicate.value === null || predicate.value === undefined
          ? `${this.id(predicate.column)} IS NULL`
          : `${this.id(predicate.column)} = ${this.param(predicate.value)}`;
      case 'compare':
        // The operator comes from a closed set (the type), never from input text.
        if (!COMPARISON_OPERATORS.has(predicate.operator))
          throw new InvalidInput(
            'connector.bad_operator',
            `Unknown comparison operator ${String(predicate.operator)}.`,
          );
        return `${this.id(predicate.column)} ${predicate.operator} ${this.param(predicate.value)}`;
      case 'any':
        return predicate.of.length ? `(${predicate.of.map((p) => this.predicate(p)).join(' OR ')})` : '1 = 0';
      case 'all':
        return predicate.of.length
          ? `(${predicate.of.map((p) => this.predicate(p)).join(' AND ')})`
          : '1 = 1';
      case 'not':
        return `NOT (${this.predicate(predicate.of)})`;
    }
  }

  inList(columns: string[], tuples: unknown[][], lowercase: boolean, phone = false): string {
    if (!tuples.length) return '1 = 0';
    if (columns.length === 1) {
      const quoted = this.id(columns[0]!);
      const column = phone ? this.#dialect.phoneExpression(quoted) : lowercase ? `lower(${quoted})` : quoted;
      if (this.#dialect.arrayParameters) return `${column} = ANY(${this.param(tuples.map((t) => t[0]))})`;
      return `${column} IN (${tuples.map((t) => this.param(t[0])).join(', ')})`;
    }
    const left = `(${columns.map((c) => this.id(c)).join(', ')})`;
    return `${left} IN (${tuples.map((t) => `(${columns.map((_, i) => this.param(t[i])).join(', ')})`).join(', ')})`;
  }

  keysetAfter(keyset: string[], after: unknown[]): string {
    if (this.#dialect.rowComparison || keyset.length === 1) {
      if (keyset.length === 1) return `${this.id(keyset[0]!)} > ${this.param(after[0])}`;
      return `(${keyset.map((c) => this.id(c)).join(', ')}) > (${after.map((v) => this.param(v)).join(', ')})`;
    }
    // a > ? OR (a = ? AND b > ?) OR (a = ? AND b = ? AND c > ?)
    const alternatives = keyset.map((column, i) => {
      const equal = keyset.slice(0, i).map((c, j) => `${this.id(c)} = ${this.param(after[j])}`);
      return `(${[...equal, `${this.id(column)} > ${this.param(after[i])}`].join(' AND ')})`;
    });
    return `(${alternatives.join(' OR ')})`;
  }

  assignment(column: string, assignment: Assignment): string {
    if (assignment.kind === 'value') return this.param(assignment.value);
    if (!assignment.values.length) return this.id(column);
    const cases = assignment.values.map(({ key, value }) => {
      const match = assignment.keyColumns
        .map((c, i) => `${this.id(c)} = ${this.param(key[i])}`)
        .join(' AND ');
      return `WHEN ${match} THEN ${this.param(value)}`;
    });
    return `CASE ${cases.join(' ')} ELSE ${this.id(column)} END`;
  }

  finish(text: string): SqlStatement {
    return { text, params: this.params };
  }
}
