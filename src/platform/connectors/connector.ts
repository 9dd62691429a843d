import type { HttpCollectionEndpoints, SystemKind } from '../datamap/datamap-types.ts';

/**
 * The one seam between Steward and a source system (STYLE.md §2). Everything above it (planner,
 * executor, retention) speaks in collections, columns and predicates; each kind of system
 * (postgres/, mysql/, http/, files/) turns those descriptions into its own calls. Values always
 * travel as parameters, never inside statement text.
 */
export interface Connector {
  readonly kind: SystemKind;
  /** Rows matching `spec.where`, page by page (keyset pagination on `spec.keyset` when given). */
  read(spec: ReadSpec): AsyncIterable<Row[]>;
  /** Number of rows matching `where`. */
  count(target: CollectionTarget, where: RowPredicate): Promise<number>;
  /**
   * The number of rows matching each query, in the order given, in as few round trips as the
   * kind allows (SQL: one statement of scalar subqueries per batch). Absent on kinds that cannot;
   * callers then use `count` per query (see `countEach`).
   */
  countEach?(queries: readonly CountQuery[]): Promise<number[]>;
  /**
   * Runs a sequence of reads on one connection held until the iteration ends (or is abandoned):
   * a subject's walk issues a statement per collection, and checking a connection out of the pool
   * for each costs more than the statement itself on a local database.
   */
  session<T>(work: (reader: ConnectorReader) => AsyncIterable<T>): AsyncIterable<T>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. HTTP
   * systems have no transactions; their calls are made one by one (see http-connector.ts).
   */
  transaction<T>(work: (tx: ConnectorTransaction) => Promise<T>): Promise<T>;
  /** Releases pooled connections; the connector is unusable afterwards. */
  close(): Promise<void>;
  /**
   * Counts records and distinct subject values of several collections in one statement, where the
   * data is (SQL systems). Absent on kinds that cannot; callers then read the columns.
   */
  tallySubjects?(sources: readonly SubjectColumn[]): Promise<SubjectTally>;
  /**
   * The distinct subject values of several collections, each with the sources it occurs in, for
   * telling subjects apart across systems. Absent on kinds that cannot.
   */
  listSubjectValues?(sources: readonly SubjectColumn[]): Promise<SubjectValues>;
}

/** At most this many sources in one tally or listing: each is one bit of an integer mask. */
export const MAX_SUBJECT_SOURCES = 30;

/**
 * How a subject column's values are compared before they are counted, as the access path compares
 * them: `exact` as stored, `text` as stored but cast to text (sources whose columns differ in
 * type), `lowercase` lower-cased (case-insensitive identities), `phone` as digits and `+` with a
 * leading `00` read as `+` (`SqlDialect.phoneExpression`; a value without digits is no subject).
 */
export type SubjectComparison = 'exact' | 'text' | 'lowercase' | 'phone';

/** One collection's column that says whose a row is, and the rows concerned. */
export interface SubjectColumn {
  target: CollectionTarget;
  column: string;
  where: RowPredicate;
  comparison: SubjectComparison;
}

/** Per source (in the order given): rows and distinct non-null values; and distinct values across all. */
export interface SubjectTally {
  records: number[];
  subjects: number[];
  distinct: number;
}

/** Rows per source, and each distinct non-null value (as text) with the indexes of the sources holding it. */
export interface SubjectValues {
  records: number[];
  values: { value: string; sources: number[] }[];
}

/** Reads, outside a transaction. */
export type ConnectorReader = Pick<Connector, 'read' | 'count' | 'countEach'>;

/** What may be done inside a transaction. */
export interface ConnectorTransaction {
  read(spec: ReadSpec): AsyncIterable<Row[]>;
  count(target: CollectionTarget, where: RowPredicate): Promise<number>;
  countEach?(queries: readonly CountQuery[]): Promise<number[]>;
  /** Deletes the matching rows; returns how many went. */
  delete(spec: DeleteSpec): Promise<number>;
  /** Updates the matching rows; returns how many were matched. */
  update(spec: UpdateSpec): Promise<number>;
}

/** One row as the driver returned it, keyed by column name. */
export type Row = Record<string, unknown>;

/** A table (or an API collection) and what a connector must know to address its rows. */
export interface CollectionTarget {
  name: string;
  /** PostgreSQL schema or MySQL database; undefined = the connection's default. */
  schema?: string;
  /** Empty when the table has none; rows are then addressed by predicate only. */
  primaryKey: string[];
  /** HTTP systems only: the declared endpoints and which column holds which identity. */
  http?: { endpoints: HttpCollectionEndpoints; identityColumns: Record<string, string> };
}

/**
 * Which rows an operation concerns. Plain data, so plans can carry and print it.
 * - `in`: (columns) IN (tuples); `lowercase` compares lower(column) with already lower-cased values;
 *   `phone` compares the column as a phone number (digits and a leading +, a leading 00 read as +,
 *   see `normalisePhoneText`) with values already in that form
 * - `equals`: column = value, or IS NULL for null
 * - `compare`: column < value (or <=, >, >=, <>); never true for NULL, as in SQL (retention cut-offs, keyset cursors)
 * - `any` / `all`: OR / AND of the parts (an empty `any` matches nothing, an empty `all` everything)
 * - `not`: the part does not match; a part that is NULL (unknown) in SQL does not match either way
 */
export type RowPredicate =
  | { kind: 'in'; columns: string[]; tuples: unknown[][]; lowercase?: boolean; phone?: boolean }
  | { kind: 'equals'; column: string; value: unknown }
  | { kind: 'compare'; column: string; operator: ComparisonOperator; value: unknown }
  | { kind: 'any'; of: RowPredicate[] }
  | { kind: 'all'; of: RowPredicate[] }
  | { kind: 'not'; of: RowPredicate };

export type ComparisonOperator = '<' | '<=' | '>' | '>=' | '<>';

export interface ReadSpec {
  target: CollectionTarget;
  columns: string[];
  where: RowPredicate;
  /** Columns to page by (the primary key); empty = one unpaged query. */
  keyset: string[];
  /** Rows per page; default 1000. */
  pageSize?: number;
  /** Lock the rows read until the transaction ends (SELECT … FOR UPDATE); transactions only. */
  lock?: boolean;
}

/** Rows of one collection to count: see `Connector.countEach`. */
export interface CountQuery {
  target: CollectionTarget;
  where: RowPredicate;
}

export interface DeleteSpec {
  target: CollectionTarget;
  where: RowPredicate;
}

/**
 * A new value for a column: one value for every matched row, or a value per row chosen by the
 * row's key (`CASE WHEN key = … THEN …`), which lets one statement mask a batch of rows.
 */
export type Assignment =
  | { kind: 'value'; value: unknown }
  | { kind: 'per_row'; keyColumns: string[]; values: { key: unknown[]; value: unknown }[] };

export interface UpdateSpec {
  target: CollectionTarget;
  set: Record<string, Assignment>;
  where: RowPredicate;
}

export const DEFAULT_PAGE_SIZE = 1000;
