import { loadOnFirstUse } from '../../../kernel/runtime/load-on-first-use.ts';
import pg from 'pg';

// The MySQL driver loads when a MySQL or MariaDB system is first used (~9 MB in every process otherwise).
const loadMysql = loadOnFirstUse<typeof import('mysql2/promise')>('mysql2/promise');

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
  /**
   * The column as a phone number in comparable form: only digits and `+`, a leading `00` turned
   * into `+` (`+33 6 44 58 92 42`, `0033-644-589-242` → `+33644589242`). The same rule as
   * `normalisePhoneText`, so a value normalised in memory matches the stored one in SQL.
   */
  phoneExpression(column: string): string;
  /** The column's value as text, so columns of different types can be compared in one UNION. */
  textExpression(column: string): string;
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  quoteIdentifier: (name) => pg.escapeIdentifier(name),
  placeholder: (index) => `$${index}`,
  rowComparison: true,
  arrayParameters: true,
  phoneExpression: (column) =>
    `regexp_replace(regexp_replace(${column}::text, '[^0-9+]', '', 'g'), '^00', '+')`,
  textExpression: (column) => `${column}::text`,
};

export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  // `true` = a dot is part of the name, not a qualifier: schema and table are quoted separately.
  quoteIdentifier: (name) => loadMysql().escapeId(name, true),
  placeholder: () => '?',
  rowComparison: false,
  arrayParameters: false,
  // MariaDB and MySQL 8 replace every match by default.
  phoneExpression: (column) =>
    `REGEXP_REPLACE(REGEXP_REPLACE(CAST(${column} AS CHAR), '[^0-9+]', ''), '^00', '+')`,
  textExpression: (column) => `CAST(${column} AS CHAR)`,
};

/** The dialect of a SQL system kind. */
export function sqlDialectFor(kind: 'postgres' | 'mysql'): SqlDialect {
  return kind === 'mysql' ? mysqlDialect : postgresDialect;
}
