import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { MAX_SUBJECT_SOURCES, type SubjectColumn } from '../connector.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { StatementText, type SqlStatement } from './sql-statement.ts';

/**
 * Statements that count a breach's subjects where the data is. Every source becomes one branch of
 * a UNION ALL tagged with its bit; grouping by the compared value then gives, in one hash over the
 * rows, the distinct values across all sources and (from each group's bits) per source. Records
 * are counted by a statement of their own (`recordCountsStatement`), run beside it on another
 * connection: counting them in this one costs a second scan or a filtered count per row, a third
 * more time on one core (measured on the demo shop), where the other connection's core is idle.
 */
export function subjectTallyStatement(dialect: SqlDialect, sources: readonly SubjectColumn[]): SqlStatement {
  checkSourceCount(sources);
  const out = new StatementText(dialect);
  const perSource = sources.map((_, i) => `count(CASE WHEN (m & ${bit(i)}) <> 0 THEN 1 END) AS s${i}`);
  return out.finish(
    `SELECT count(*) AS distinct_values, ${perSource.join(', ')} FROM (${distinctValues(out, sources)}) g`,
  );
}

/** The distinct compared values across the sources, each with the bit mask of the sources holding it. */
export function subjectValuesStatement(dialect: SqlDialect, sources: readonly SubjectColumn[]): SqlStatement {
  checkSourceCount(sources);
  const out = new StatementText(dialect);
  return out.finish(distinctValues(out, sources));
}

/** Rows per source, one column each (`r0`, `r1`, …). */
export function recordCountsStatement(dialect: SqlDialect, sources: readonly SubjectColumn[]): SqlStatement {
  const out = new StatementText(dialect);
  return out.finish(`SELECT ${sources.map((s, i) => `(${recordCount(out, s)}) AS r${i}`).join(', ')}`);
}

/** The indexes of the sources whose bits are set in a mask from these statements. */
export function sourcesOfMask(mask: number, sourceCount: number): number[] {
  const sources: number[] = [];
  for (let i = 0; i < sourceCount; i++) if (mask & bit(i)) sources.push(i);
  return sources;
}

function distinctValues(out: StatementText, sources: readonly SubjectColumn[]): string {
  const branches = sources.map(
    (s, i) =>
      `SELECT ${bit(i)} AS b, ${compared(out, s)} AS v FROM ${out.table(s.target)} WHERE ${out.predicate(s.where)}`,
  );
  return `SELECT v, bit_or(b) AS m FROM (${branches.join(' UNION ALL ')}) u WHERE v IS NOT NULL GROUP BY v`;
}

function recordCount(out: StatementText, source: SubjectColumn): string {
  return `SELECT count(*) FROM ${out.table(source.target)} WHERE ${out.predicate(source.where)}`;
}

/** The column as the access path compares it (see `SubjectComparison`). */
function compared(out: StatementText, source: SubjectColumn): string {
  const column = out.id(source.column);
  const dialect = out.dialect;
  switch (source.comparison) {
    case 'exact':
      return column;
    case 'text':
      return dialect.textExpression(column);
    case 'lowercase':
      return `lower(${column})`;
    case 'phone':
      // A value without a digit normalises to '' and is nobody's number.
      return `NULLIF(${dialect.phoneExpression(column)}, '')`;
  }
}

const bit = (index: number) => 2 ** index;

function checkSourceCount(sources: readonly SubjectColumn[]): void {
  if (!sources.length || sources.length > MAX_SUBJECT_SOURCES)
    throw new InvalidInput(
      'connector.subject_sources',
      `Subjects are counted over 1 to ${MAX_SUBJECT_SOURCES} collections at once, not ${sources.length}.`,
    );
}
