import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * How one family of SQL databases spells what the renderer needs. Identifiers are quoted by the
 * driver's own function, so a column named `order` or `a"b` is addressed exactly, never injected.
 */
export interface SqlDialect {
  name: 'postgres' | 'mysql';
  quoteIdentifier(name: string): string;
  /** The n-th (1-based) parameter marker. */
  placeholder(index: number): string;
  /**
   * PostgreSQL plans `(a, b) > ($1, $2)` as an index range; MySQL/MariaDB do not reliably, so the
   * keyset condition is spelled out there as `a > ? OR (a = ? AND b > ?)`.
   */
  rowComparison: boolean;
  /**
   * PostgreSQL takes a list of values as one array parameter (`col = ANY($1)`), so a statement's
   * text does not change with the number of keys and its prepared plan is reused.
   */
  arrayParameters: boolean;
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  quoteIdentifier: (name) => pg.escapeIdentifier(name),
  placeholder: (index) => `$${index}`,
  rowComparison: true,
  arrayParameters: true,
};

export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  // `true` = a dot is part of the name, not a qualifier: schema and table are quoted separately.
  quoteIdentifier: (name) => mysql.escapeId(name, true),
  placeholder: () => '?',
  rowComparison: false,
  arrayParameters: false,
};

/** The dialect of a SQL system kind (PGlite is PostgreSQL). */
export function sqlDialectFor(kind: 'postgres' | 'pglite' | 'mysql'): SqlDialect {
  return kind === 'mysql' ? mysqlDialect : postgresDialect;
}
