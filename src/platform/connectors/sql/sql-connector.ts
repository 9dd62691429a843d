import type { SystemKind } from '../../datamap/datamap-types.ts';
import { Conflict, isDomainError, Unavailable } from '../../../kernel/errors/domain-error.ts';
import type {
  CollectionTarget,
  Connector,
  ConnectorReader,
  ConnectorTransaction,
  CountQuery,
  DeleteSpec,
  ReadSpec,
  Row,
  RowPredicate,
  SubjectColumn,
  SubjectTally,
  SubjectValues,
  UpdateSpec,
} from '../connector.ts';
import type { SqlDialect } from './sql-dialect.ts';
import { pageSizeOf, SqlStatementRenderer, type SqlStatement } from './sql-statement.ts';
import {
  recordCountsStatement,
  sourcesOfMask,
  subjectTallyStatement,
  subjectValuesStatement,
} from './subject-statements.ts';

/** Runs one statement on a connection (or the pool). */
export interface SqlRunner {
  run(statement: SqlStatement): Promise<{ rows: Row[]; affected: number }>;
}

/** What a SQL kind provides: a pooled runner, a transaction on one connection, and shutdown. */
export interface SqlDriver {
  pooled: SqlRunner;
  /** `work` with one connection checked out for its whole iteration. */
  session<T>(work: (runner: SqlRunner) => AsyncIterable<T>): AsyncIterable<T>;
  transaction<T>(work: (runner: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The part of a connector that is the same for every SQL database: rendering with the dialect,
 * keyset pagination, and turning driver failures into domain errors (never with parameter values,
 * which are personal data).
 */
export class SqlConnector implements Connector {
  readonly kind: SystemKind;
  readonly #renderer: SqlStatementRenderer;
  readonly #driver: SqlDriver;
  readonly #systemId: string;

  constructor(kind: SystemKind, systemId: string, dialect: SqlDialect, driver: SqlDriver) {
    this.kind = kind;
    this.#systemId = systemId;
    this.#renderer = new SqlStatementRenderer(dialect);
    this.#driver = driver;
  }

  read(spec: ReadSpec): AsyncIterable<Row[]> {
    return readPages(this.#guarded(this.#driver.pooled), this.#renderer, { ...spec, lock: false });
  }

  async count(target: CollectionTarget, where: RowPredicate): Promise<number> {
    const { rows } = await this.#guarded(this.#driver.pooled).run(this.#renderer.count(target, where));
    return Number(rows[0]?.n ?? 0);
  }

  countEach(queries: readonly CountQuery[]): Promise<number[]> {
    return countEach(this.#guarded(this.#driver.pooled), this.#renderer, queries);
  }

  session<T>(work: (reader: ConnectorReader) => AsyncIterable<T>): AsyncIterable<T> {
    return this.#driver.session((raw) => {
      const runner = this.#guarded(raw);
      return work({
        read: (spec) => readPages(runner, this.#renderer, { ...spec, lock: false }),
        count: async (target, where) =>
          Number((await runner.run(this.#renderer.count(target, where))).rows[0]?.n ?? 0),
        countEach: (queries) => countEach(runner, this.#renderer, queries),
      });
    });
  }

  transaction<T>(work: (tx: ConnectorTransaction) => Promise<T>): Promise<T> {
    return this.#driver.transaction((raw) => {
      const runner = this.#guarded(raw);
      const renderer = this.#renderer;
      return work({
        read: (spec) => readPages(runner, renderer, spec),
        count: async (target, where) =>
          Number((await runner.run(renderer.count(target, where))).rows[0]?.n ?? 0),
        countEach: (queries) => countEach(runner, renderer, queries),
        delete: async (spec: DeleteSpec) => (await runner.run(renderer.delete(spec))).affected,
        update: async (spec: UpdateSpec) => (await runner.run(renderer.update(spec))).affected,
      });
    });
  }

  async tallySubjects(sources: readonly SubjectColumn[]): Promise<SubjectTally> {
    const runner = this.#guarded(this.#driver.pooled);
    const dialect = this.#renderer.dialect;
    const [tally, records] = await Promise.all([
      runner.run(subjectTallyStatement(dialect, sources)),
      runner.run(recordCountsStatement(dialect, sources)),
    ]);
    const row = tally.rows[0] ?? {};
    const counts = records.rows[0] ?? {};
    return {
      records: sources.map((_, i) => Number(counts[`r${i}`] ?? 0)),
      subjects: sources.map((_, i) => Number(row[`s${i}`] ?? 0)),
      distinct: Number(row.distinct_values ?? 0),
    };
  }

  async listSubjectValues(sources: readonly SubjectColumn[]): Promise<SubjectValues> {
    const runner = this.#guarded(this.#driver.pooled);
    const dialect = this.#renderer.dialect;
    const [values, records] = await Promise.all([
      runner.run(subjectValuesStatement(dialect, sources)),
      runner.run(recordCountsStatement(dialect, sources)),
    ]);
    const counts = records.rows[0] ?? {};
    return {
      records: sources.map((_, i) => Number(counts[`r${i}`] ?? 0)),
      values: values.rows.map((row) => ({
        value: String(row.v),
        sources: sourcesOfMask(Number(row.m), sources.length),
      })),
    };
  }

  close(): Promise<void> {
    return this.#driver.close();
  }

  #guarded(runner: SqlRunner): SqlRunner {
    return {
      run: async (statement) => {
        try {
          return await runner.run(statement);
        } catch (error) {
          throw this.#translate(error, statement);
        }
      },
    };
  }

  #translate(error: unknown, statement: SqlStatement): Error {
    if (isDomainError(error)) return error;
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    const details = { system: this.#systemId, statement: statement.text, driverCode: code };
    if (code && CONNECTION_FAILURES.has(code)) {
      return new Unavailable(
        'connector.unreachable',
        `System ${this.#systemId} cannot be reached (${code}): ${message}`,
        details,
        { cause: error },
      );
    }
    return new Conflict(
      'connector.statement_failed',
      `System ${this.#systemId} rejected a statement: ${message}`,
      details,
      { cause: error },
    );
  }
}

const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '08006', // connection_failure
  '08001',
  '28P01', // invalid_password
  '28000',
  'ER_ACCESS_DENIED_ERROR',
  '3D000', // database does not exist
  'ER_BAD_DB_ERROR',
]);

/** The counts of several queries, a batch of them per statement (`SqlStatementRenderer.counts`). */
async function countEach(
  runner: SqlRunner,
  renderer: SqlStatementRenderer,
  queries: readonly CountQuery[],
): Promise<number[]> {
  const counts: number[] = [];
  for (const statement of renderer.counts(queries)) {
    const row = (await runner.run(statement)).rows[0] ?? {};
    // Columns c0, c1, … in the order the queries were given; drivers may return a bigint as text.
    for (let i = 0; `c${i}` in row; i++) counts.push(Number(row[`c${i}`]));
  }
  return counts;
}

/** Keyset pagination: each page starts after the last key of the previous one, so no OFFSET scans. */
async function* readPages(
  runner: SqlRunner,
  renderer: SqlStatementRenderer,
  spec: ReadSpec,
): AsyncGenerator<Row[]> {
  const pageSize = pageSizeOf(spec.pageSize);
  const columns = [...spec.columns, ...spec.keyset.filter((c) => !spec.columns.includes(c))];
  let after: unknown[] | undefined;
  for (;;) {
    const { rows } = await runner.run(renderer.select({ ...spec, columns, pageSize }, after));
    if (rows.length) yield rows;
    if (!spec.keyset.length || rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = spec.keyset.map((column) => last[column]);
  }
}
