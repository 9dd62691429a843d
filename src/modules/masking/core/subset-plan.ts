import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import {
  findTable,
  type CatalogForeignKey,
  type CatalogTable,
  type SourceCatalog,
} from './source-catalog.ts';

/** `--where 'customers: created_at > now() - interval ''90 days'''` and `--percent 10`. */
export interface SubsetRequest {
  where: { table: string; condition: string }[];
  /** Share of the seed tables' matching rows kept, 0 < percent ≤ 100; sampled by keyed hash, so repeatable. */
  percent?: number;
}

export interface SubsetSeed {
  table: string;
  /** SQL condition on the seed table, in the source's dialect; undefined = every row. */
  condition?: string;
  percent: number;
}

export interface SubsetFollower {
  table: string;
  /** The reference that decides its rows: a row is kept when this reference points at a kept row. */
  via: CatalogForeignKey;
}

/**
 * How a consistent slice is taken (pure; computed before anything is read). Seeds are filtered
 * and sampled; followers keep the rows that reference kept rows, walking the references down
 * from the seeds (a customer's orders, their items and payments); then every reference held by a
 * kept row is satisfied by pulling the row it points at (closure), repeated until nothing is
 * missing — which also closes cycles, through nullable references included (a kept customer's
 * `referred_by` pulls the referrer). Tables no seed reaches are copied whole.
 */
export interface SubsetPlan {
  seeds: SubsetSeed[];
  followers: SubsetFollower[];
  /** References from restricted tables to restricted tables: each kept row's must point at a kept row. */
  closure: { table: string; fk: CatalogForeignKey }[];
  /** Copied in full: no seed reaches them and they reference no restricted table. */
  fullTables: string[];
}

export function planSubset(catalog: SourceCatalog, request: SubsetRequest): SubsetPlan {
  const percent = request.percent ?? 100;
  if (!(percent > 0 && percent <= 100)) {
    throw new InvalidInput(
      'masking.bad_percent',
      `--percent must be more than 0 and at most 100; it was ${percent}.`,
      { percent },
    );
  }
  const seeds = request.where.length
    ? namedSeeds(catalog, request.where, percent)
    : rootSeeds(catalog, percent);
  const restricted = new Set(seeds.map((seed) => seed.table));
  const followers: SubsetFollower[] = [];
  // Breadth first from the seeds: each table follows the first restricted table that reaches it,
  // preferring a non-nullable reference (every row then has a parent to be decided by).
  let frontier = [...restricted];
  while (frontier.length) {
    const next: string[] = [];
    const candidates = catalog.tables
      .filter((table) => !restricted.has(table.id))
      .map((table) => ({ table, via: definingReference(table, frontier) }))
      .filter((entry): entry is { table: CatalogTable; via: CatalogForeignKey } => entry.via !== undefined);
    for (const { table, via } of candidates) {
      restricted.add(table.id);
      followers.push({ table: table.id, via });
      next.push(table.id);
    }
    frontier = next;
  }
  const closure = catalog.tables
    .filter((table) => restricted.has(table.id))
    .flatMap((table) =>
      table.foreignKeys.filter((fk) => restricted.has(fk.target)).map((fk) => ({ table: table.id, fk })),
    );
  const fullTables = catalog.tables.filter((table) => !restricted.has(table.id)).map((table) => table.id);
  return { seeds, followers, closure, fullTables };
}

function namedSeeds(catalog: SourceCatalog, where: SubsetRequest['where'], percent: number): SubsetSeed[] {
  return where.map(({ table: name, condition }) => {
    const table = findTable(catalog, name);
    if (!table) {
      throw new InvalidInput(
        'masking.unknown_subset_table',
        `--where names table "${name}", which the source database does not have (or has in several schemas; write schema.table).`,
        { table: name },
      );
    }
    return { table: table.id, condition: condition.trim() || undefined, percent };
  });
}

/** Without --where: every table that must not reference another one (no NOT NULL reference) is sampled. */
function rootSeeds(catalog: SourceCatalog, percent: number): SubsetSeed[] {
  return catalog.tables
    .filter(
      (table) => !table.foreignKeys.some((fk) => fk.target !== table.id && !nullableReference(table, fk)),
    )
    .map((table) => ({ table: table.id, percent }));
}

function definingReference(table: CatalogTable, parents: string[]): CatalogForeignKey | undefined {
  const references = table.foreignKeys.filter((fk) => fk.target !== table.id && parents.includes(fk.target));
  return references.find((fk) => !nullableReference(table, fk)) ?? references[0];
}

function nullableReference(table: CatalogTable, fk: CatalogForeignKey): boolean {
  return fk.columns.some((name) => table.columns.find((column) => column.name === name)?.nullable !== false);
}

/** Parses `--where 'table: condition'` (the condition is SQL of the source's dialect, run by the source). */
export function parseSubsetWhere(text: string): { table: string; condition: string } {
  const colon = text.indexOf(':');
  if (colon <= 0) {
    throw new InvalidInput(
      'masking.bad_where',
      `--where "${text}" must be "table: condition", e.g. "customers: created_at > now() - interval '90 days'".`,
      { where: text },
    );
  }
  return { table: text.slice(0, colon).trim(), condition: text.slice(colon + 1).trim() };
}
