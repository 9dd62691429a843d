import { transformerForCategories, transformerForFamily } from './category-transformers.ts';
import type { PersonalColumn } from './personal-columns.ts';
import {
  findTable,
  uniqueColumns,
  type CatalogColumn,
  type CatalogTable,
  type SourceCatalog,
} from './source-catalog.ts';
import { transformerDefinition } from './transformer-registry.ts';
import type { RuleSource } from './rule-source.ts';
import type { LeakCheckMode, RuleParams, TransformerName } from './transformer.ts';

/** A per-field decision that beats the data map's categories (`--rule customers.notes=null`). */
export interface RuleOverride {
  table: string;
  column: string;
  transformer: TransformerName;
  params?: RuleParams;
}

export type { RuleSource } from './rule-source.ts';

export interface ColumnRule {
  column: string;
  transformer: TransformerName;
  params: RuleParams;
  source: RuleSource;
  /** Why, in words: `category user.contact.email`, `references public.customers.email`. */
  reason: string;
  categories: string[];
  leakCheck: LeakCheckMode;
}

export interface TableRules {
  table: string;
  /** Columns that are masked (or deliberately kept) — personal data or linked to it by a foreign key. */
  columns: ColumnRule[];
  /** False: the data map does not declare this table, so nothing in it is known to be personal. */
  inDataMap: boolean;
}

export interface RuleProblem {
  table: string;
  column?: string;
  message: string;
}

export interface MaskingRules {
  tables: TableRules[];
  /** Rules that cannot work (a transformer that does not fit the column); the copy does not start. */
  problems: RuleProblem[];
  /** Decisions worth reading (a fallback, a table unknown to the data map); the copy goes ahead. */
  warnings: RuleProblem[];
}

interface Candidate extends Omit<ColumnRule, 'leakCheck' | 'column'> {
  leakCheck?: LeakCheckMode;
  table: string;
  column: string;
}

const PRIORITY: Record<RuleSource, number> = { override: 3, category: 2, type: 1, foreign_key: 0 };

/**
 * Decides the rule of every column (pure): the data map's categories imply a transformer, a
 * per-field override replaces it, and a column the implied transformer cannot write (a date
 * transformer on an integer) falls back to its type's default. Columns linked by foreign keys
 * form one group that gets one rule — a personal primary key is then transformed identically in
 * every column that references it, so the copy's foreign keys hold — taken from the strongest
 * member (override, then category).
 */
export function resolveMaskingRules(
  catalog: SourceCatalog,
  personal: readonly PersonalColumn[],
  overrides: readonly RuleOverride[],
  declaredTables: readonly string[],
): MaskingRules {
  const problems: RuleProblem[] = [];
  const warnings: RuleProblem[] = [];
  const candidates = new Map<string, Candidate>();
  const columnOf = (table: CatalogTable, name: string) =>
    table.columns.find((column) => column.name === name);

  for (const field of personal) {
    const table = findTable(catalog, field.table);
    const column = table && columnOf(table, field.column);
    if (!table || !column) {
      warnings.push({
        table: field.table,
        column: field.column,
        message: 'declared in the data map but not in the source database; nothing to mask',
      });
      continue;
    }
    candidates.set(key(table.id, column.name), categoryCandidate(table, column, field.categories, warnings));
  }
  for (const override of overrides) {
    const table = findTable(catalog, override.table);
    const column = table && columnOf(table, override.column);
    if (!table || !column) {
      problems.push({
        table: override.table,
        column: override.column,
        message: 'a rule names a column the source database does not have; check the table and column name',
      });
      continue;
    }
    const categories = candidates.get(key(table.id, column.name))?.categories ?? [];
    candidates.set(key(table.id, column.name), {
      table: table.id,
      column: column.name,
      transformer: override.transformer,
      params: override.params ?? {},
      source: 'override',
      reason: 'rule given for this field',
      categories,
    });
  }

  const groups = foreignKeyGroups(catalog);
  const chosen = new Map<string, Candidate>();
  for (const members of groups) {
    const strongest = members
      .map((member) => candidates.get(member))
      .filter((candidate): candidate is Candidate => candidate !== undefined)
      .sort((a, b) => PRIORITY[b.source] - PRIORITY[a.source])[0];
    if (!strongest) continue;
    for (const member of members) {
      const own = candidates.get(member);
      if (own === strongest) {
        chosen.set(member, own);
        continue;
      }
      const [table, column] = member.split('\u0000') as [string, string];
      if (own && own.source === 'override' && own.transformer !== strongest.transformer) {
        problems.push({
          table,
          column,
          message: `its rule ${own.transformer} differs from ${strongest.transformer} on ${strongest.table}.${strongest.column}, which it is linked to by a foreign key; give both the same rule`,
        });
      }
      chosen.set(member, {
        ...strongest,
        table,
        column,
        source: 'foreign_key',
        reason: `linked by a foreign key to ${strongest.table}.${strongest.column} (${strongest.reason})`,
        categories: own?.categories ?? [],
      });
    }
  }

  const tables = catalog.tables.map((table): TableRules => {
    const columns: ColumnRule[] = [];
    for (const column of table.columns) {
      const candidate = chosen.get(key(table.id, column.name));
      if (!candidate) continue;
      columns.push(checkedRule(table, column, candidate, problems, warnings));
    }
    const inDataMap = declaredTables.some(
      (name) => findTable({ ...catalog, tables: [table] }, name) !== undefined,
    );
    if (!inDataMap)
      warnings.push({
        table: table.id,
        message:
          'not in the data map: copied unmasked; declare it (with its personal fields) if it holds personal data',
      });
    return { table: table.id, columns, inDataMap };
  });
  return { tables, problems, warnings };
}

function categoryCandidate(
  table: CatalogTable,
  column: CatalogColumn,
  categories: string[],
  warnings: RuleProblem[],
): Candidate {
  const implied = transformerForCategories(categories);
  if (implied && fits(implied.transformer, column)) {
    return {
      table: table.id,
      column: column.name,
      transformer: implied.transformer,
      params: {},
      source: 'category',
      reason: `category ${implied.category}`,
      categories,
    };
  }
  const fallback = transformerForFamily(column.family, column.nullable);
  if (implied) {
    warnings.push({
      table: table.id,
      column: column.name,
      message: `${implied.transformer} (category ${implied.category}) cannot write ${withArticle(column.rawType)} column${column.nullable ? '' : ' that is NOT NULL'}; ${fallback.transformer} is used instead`,
    });
  }
  return {
    table: table.id,
    column: column.name,
    transformer: fallback.transformer,
    params: {},
    source: 'type',
    reason: `personal data (${categories.join(', ')}) of type ${column.rawType}`,
    categories,
    ...(fallback.leakCheck ? { leakCheck: fallback.leakCheck } : {}),
  };
}

function checkedRule(
  table: CatalogTable,
  column: CatalogColumn,
  candidate: Candidate,
  problems: RuleProblem[],
  warnings: RuleProblem[],
): ColumnRule {
  const definition = transformerDefinition(candidate.transformer);
  if (!fits(candidate.transformer, column)) {
    problems.push({
      table: table.id,
      column: column.name,
      message: `${candidate.transformer} cannot write ${withArticle(column.rawType)}${column.nullable ? '' : ' NOT NULL'} column (${candidate.reason}); choose another rule for it`,
    });
  }
  if (
    uniqueColumns(table).has(column.name) &&
    definition.leakCheck === 'row' &&
    candidate.transformer !== 'keep'
  ) {
    warnings.push({
      table: table.id,
      column: column.name,
      message: `${candidate.transformer} draws from a dictionary and may repeat values in this unique column; use keyed_token if the copy's unique constraint fails`,
    });
  }
  return {
    column: column.name,
    transformer: candidate.transformer,
    params: candidate.params,
    source: candidate.source,
    reason: candidate.reason,
    categories: candidate.categories,
    leakCheck: candidate.leakCheck ?? definition.leakCheck,
  };
}

function fits(transformer: TransformerName, column: CatalogColumn): boolean {
  if (transformer === 'null' && !column.nullable) return false;
  return transformerDefinition(transformer).families.includes(column.family);
}

/** Columns connected by foreign keys (either way, transitively), each group listed once; singletons too. */
function foreignKeyGroups(catalog: SourceCatalog): string[][] {
  const parent = new Map<string, string>();
  const find = (node: string): string => {
    let root = node;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(node, root);
    return root;
  };
  for (const table of catalog.tables)
    for (const column of table.columns) parent.set(key(table.id, column.name), key(table.id, column.name));
  for (const table of catalog.tables) {
    for (const fk of table.foreignKeys) {
      fk.columns.forEach((column, i) => {
        const target = key(fk.target, fk.targetColumns[i]!);
        if (parent.has(target)) parent.set(find(key(table.id, column)), find(target));
      });
    }
  }
  const groups = new Map<string, string[]>();
  for (const node of parent.keys()) {
    const root = find(node);
    groups.set(root, [...(groups.get(root) ?? []), node]);
  }
  return [...groups.values()];
}

function key(table: string, column: string): string {
  return `${table}\u0000${column}`;
}

/** "an integer", "a text": the article a column type reads with. */
function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
