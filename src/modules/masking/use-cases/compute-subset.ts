import type { KeyedDigest } from '../core/keyed-digest.ts';
import type { CatalogForeignKey, CatalogTable, SourceCatalog } from '../core/source-catalog.ts';
import type { SubsetPlan } from '../core/subset-plan.ts';
import { SubsetState, sampledIn, tupleOf, type KeyRow } from '../core/subset-state.ts';
import type { DatabaseReader } from '../sql/masking-database.ts';

/** Parents fetched per query while closing references. */
const FETCH_KEYS = 500;

export interface ComputedSubset {
  state: SubsetState;
  plan: SubsetPlan;
  /** Rows each restricted table keeps (tables copied whole are not listed). */
  rows: Map<string, number>;
  /** The condition the copy pushes to the source for a table without a key that is a seed. */
  conditionFor(table: CatalogTable): string | undefined;
  /** Decides, per table, whether a row of the copy is kept; undefined = every row. */
  filterFor(
    table: CatalogTable,
    columns: readonly string[],
  ): ((cells: readonly (string | null | Uint8Array)[]) => boolean) | undefined;
}

/**
 * Takes the slice a subset plan describes from the source (reading key columns only): seeds
 * filtered by their condition and sampled by keyed hash, followers whose deciding reference
 * points at a kept row, then the closure — every reference a kept row holds pulls its target
 * row, repeated until nothing is missing. Deterministic for one key and one source state.
 */
export async function computeSubset(
  reader: DatabaseReader,
  catalog: SourceCatalog,
  plan: SubsetPlan,
  digest: KeyedDigest,
): Promise<ComputedSubset> {
  const tables = new Map(catalog.tables.map((table) => [table.id, table]));
  const referenced = new Map<string, string[][]>();
  const addReferenced = (fk: CatalogForeignKey) => {
    const lists = referenced.get(fk.target) ?? [];
    if (!lists.some((list) => list.join(',') === fk.targetColumns.join(','))) lists.push(fk.targetColumns);
    referenced.set(fk.target, lists);
  };
  for (const follower of plan.followers) addReferenced(follower.via);
  for (const { fk } of plan.closure) addReferenced(fk);
  const state = new SubsetState(catalog.tables, referenced);
  const closureOf = (table: string) =>
    plan.closure.filter((entry) => entry.table === table).map((entry) => entry.fk);
  const columnsOf = (table: CatalogTable) =>
    SubsetState.columnsToRead(table, referenced.get(table.id) ?? [], [
      ...closureOf(table.id),
      ...plan.followers.filter((f) => f.table === table.id).map((f) => f.via),
    ]);
  const pending = new Map<string, KeyRow[]>();
  const queue = (table: string, rows: KeyRow[]) =>
    rows.length && pending.set(table, [...(pending.get(table) ?? []), ...rows]);

  for (const seed of plan.seeds) {
    const table = tables.get(seed.table)!;
    // A table without a key is sampled by its whole row (the copy samples it the same way).
    const columns = table.primaryKey ? columnsOf(table) : writableNames(table);
    const identity = table.primaryKey?.columns ?? columns;
    for await (const batch of reader.streamKeyRows(table, columns, seed.condition)) {
      const sampled = batch.filter((row) =>
        sampledIn(digest, table.id, tupleOf(row, identity) ?? JSON.stringify(row), seed.percent),
      );
      queue(table.id, state.add(table.id, sampled));
    }
  }
  for (const follower of plan.followers) {
    const table = tables.get(follower.table)!;
    for await (const batch of reader.streamKeyRows(table, columnsOf(table))) {
      const kept = batch.filter(
        (row) => tupleOf(row, follower.via.columns) !== undefined && state.pointsAtKept(row, follower.via),
      );
      queue(table.id, state.add(table.id, kept));
    }
  }
  while (pending.size) {
    const [tableId, rows] = pending.entries().next().value as [string, KeyRow[]];
    pending.delete(tableId);
    for (const fk of closureOf(tableId)) {
      const target = tables.get(fk.target)!;
      const missing = state.missingTargets(rows, fk);
      for (let start = 0; start < missing.length; start += FETCH_KEYS) {
        const fetched = await reader.readByKeys(
          target,
          columnsOf(target),
          fk.targetColumns,
          missing.slice(start, start + FETCH_KEYS),
        );
        queue(target.id, state.add(target.id, fetched));
      }
    }
  }

  const restricted = [...plan.seeds.map((s) => s.table), ...plan.followers.map((f) => f.table)];
  const rowCounts = new Map(restricted.map((table) => [table, state.rowsKept(table)]));
  return {
    state,
    plan,
    rows: rowCounts,
    conditionFor(table) {
      return table.primaryKey ? undefined : plan.seeds.find((s) => s.table === table.id)?.condition;
    },
    filterFor(table, columns) {
      if (!restricted.includes(table.id)) return undefined;
      const index = new Map(columns.map((column, i) => [column, i]));
      const rowOf = (cells: readonly (string | null | Uint8Array)[], names: readonly string[]): KeyRow =>
        Object.fromEntries(names.map((name) => [name, asText(cells[index.get(name)!])]));
      if (table.primaryKey) {
        const identity = table.primaryKey.columns;
        return (cells) => state.keeps(table.id, rowOf(cells, identity));
      }
      // Without a key a table is never pulled by a reference: its rows are its seed's or its follower's.
      const seed = plan.seeds.find((s) => s.table === table.id);
      const follower = plan.followers.find((f) => f.table === table.id);
      if (follower)
        return (cells) =>
          tupleOf(rowOf(cells, follower.via.columns), follower.via.columns) !== undefined &&
          state.pointsAtKept(rowOf(cells, follower.via.columns), follower.via);
      const readColumns = writableNames(table);
      return (cells) =>
        sampledIn(
          digest,
          table.id,
          tupleOf(rowOf(cells, readColumns), readColumns) ?? JSON.stringify(rowOf(cells, readColumns)),
          seed?.percent ?? 100,
        );
    },
  };
}

function asText(cell: string | null | Uint8Array | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  return typeof cell === 'string' ? cell : Buffer.from(cell).toString('hex');
}

function writableNames(table: CatalogTable): string[] {
  return table.columns.filter((column) => !column.generated).map((column) => column.name);
}
