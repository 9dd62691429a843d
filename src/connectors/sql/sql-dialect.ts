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
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  quoteIdentifier: (name) => pg.escapeIdentifier(name),
  placeholder: (index) => `$${index}`,
  rowComparison: true,
};

export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  // `true` = a dot is part of the name, not a qualifier: schema and table are quoted separately.
  quoteIdentifier: (name) => mysql.escapeId(name, true),
  placeholder: () => '?',
  rowComparison: false,
};

/** The dialect of a SQL system kind (PGlite is PostgreSQL). */
export function sqlDialectFor(kind: 'postgres' | 'pglite' | 'mysql'): SqlDialect {
  return kind === 'mysql' ? mysqlDialect : postgresDialect;
}
