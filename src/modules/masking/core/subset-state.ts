import type { KeyedDigest } from './keyed-digest.ts';
import type { CatalogForeignKey, CatalogTable } from './source-catalog.ts';

/** One source row as the subset reads it: column name → text value (NULL = null). */
export type KeyRow = Record<string, string | null>;

/**
 * The rows a subset keeps, as key sets per table and per referenced column list (in memory: keys
 * only, for the kept slice). Pure bookkeeping; reading the rows is the subset computation's job.
 */
export class SubsetState {
  readonly #tables: Map<string, CatalogTable>;
  /** table → column list (`a,b`) → kept tuples. */
  readonly #keys = new Map<string, Map<string, Set<string>>>();
  readonly #counts = new Map<string, number>();

  constructor(tables: CatalogTable[], referenced: Map<string, string[][]>) {
    this.#tables = new Map(tables.map((table) => [table.id, table]));
    for (const [table, columnLists] of referenced) {
      this.#keys.set(table, new Map(columnLists.map((columns) => [columns.join(','), new Set<string>()])));
    }
  }

  /** Columns whose values must be read to track a table's rows: its identity, referenced keys and references. */
  static columnsToRead(
    table: CatalogTable,
    referenced: string[][],
    references: CatalogForeignKey[],
  ): string[] {
    const identity = table.primaryKey?.columns ?? [];
    return [...new Set([...identity, ...referenced.flat(), ...references.flatMap((fk) => fk.columns)])];
  }

  /** Adds rows; returns the ones not kept before (by primary key; keyless tables count every row given). */
  add(table: string, rows: KeyRow[]): KeyRow[] {
    const identity = this.#identity(table);
    const added: KeyRow[] = [];
    const lists = this.#keys.get(table);
    const identitySet = identity ? this.#set(table, identity) : undefined;
    for (const row of rows) {
      if (identity && identitySet) {
        const tuple = tupleOf(row, identity);
        if (tuple === undefined || identitySet.has(tuple)) continue;
        identitySet.add(tuple);
      }
      if (lists) {
        for (const [columns, set] of lists) {
          const tuple = tupleOf(row, columns.split(','));
          if (tuple !== undefined) set.add(tuple);
        }
      }
      added.push(row);
    }
    this.#counts.set(table, (this.#counts.get(table) ?? 0) + added.length);
    return added;
  }

  /** Whether the row a reference points at is kept (a NULL reference points at nothing and passes). */
  pointsAtKept(row: KeyRow, fk: CatalogForeignKey): boolean {
    const tuple = tupleOf(row, fk.columns);
    return tuple === undefined || this.#set(fk.target, fk.targetColumns).has(tuple);
  }

  /** The distinct target tuples of these rows' reference that are not kept yet (as value lists). */
  missingTargets(rows: KeyRow[], fk: CatalogForeignKey): string[][] {
    const kept = this.#set(fk.target, fk.targetColumns);
    const missing = new Map<string, string[]>();
    for (const row of rows) {
      const tuple = tupleOf(row, fk.columns);
      if (tuple === undefined || kept.has(tuple)) continue;
      missing.set(
        tuple,
        fk.columns.map((column) => row[column]!),
      );
    }
    return [...missing.values()];
  }

  /** Whether a row of a table with a primary key is kept (for filtering the copy). */
  keeps(table: string, row: KeyRow): boolean {
    const identity = this.#identity(table);
    if (!identity) return false;
    const tuple = tupleOf(row, identity);
    return tuple !== undefined && this.#set(table, identity).has(tuple);
  }

  rowsKept(table: string): number {
    return this.#counts.get(table) ?? 0;
  }

  #identity(table: string): string[] | undefined {
    return this.#tables.get(table)?.primaryKey?.columns;
  }

  #set(table: string, columns: string[]): Set<string> {
    let lists = this.#keys.get(table);
    if (!lists) this.#keys.set(table, (lists = new Map()));
    const name = columns.join(',');
    let set = lists.get(name);
    if (!set) lists.set(name, (set = new Set()));
    return set;
  }
}

/** The key of a column tuple, or undefined when any part is NULL (SQL: a NULL reference is no reference). */
export function tupleOf(row: KeyRow, columns: readonly string[]): string | undefined {
  let tuple = '';
  for (let i = 0; i < columns.length; i++) {
    const value = row[columns[i]!];
    if (value === null || value === undefined) return undefined;
    tuple += i ? `\u0001${value}` : value;
  }
  return tuple;
}

/** Deterministic sampling: a row is in the `percent` slice when its keyed hash says so, the same in every run. */
export function sampledIn(digest: KeyedDigest, table: string, rowKey: string, percent: number): boolean {
  if (percent >= 100) return true;
  return digest('subset.sample', `${table}\u0000${rowKey}`).readUInt32BE(0) / 4294967296 < percent / 100;
}
