import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { DataMapSystem } from '../../../platform/datamap/datamap-types.ts';
import type { KeyedDigest } from '../core/keyed-digest.ts';
import type { MaskingPlanSummary, MaskingRunOptions } from '../core/masking-run-types.ts';
import { resolveMaskingRules, type MaskingRules } from '../core/masking-rules.ts';
import { declaredTablesOf, personalColumnsOf } from '../core/personal-columns.ts';
import type { SourceCatalog } from '../core/source-catalog.ts';
import { planSubset } from '../core/subset-plan.ts';
import type { SchemaScript, DatabaseReader } from '../sql/masking-database.ts';
import { computeSubset, type ComputedSubset } from './compute-subset.ts';

export interface MaskingPlan {
  catalog: SourceCatalog;
  schema: SchemaScript;
  rules: MaskingRules;
  subset?: ComputedSubset;
  summary: MaskingPlanSummary;
}

/**
 * Everything decided before a row is copied: the source's catalog, each column's rule, the
 * subset's rows, and the summary a user reads first (rows per table, transformers and why).
 * A rule that cannot work stops here, before the target is touched.
 */
export async function buildMaskingPlan(
  reader: DatabaseReader,
  system: DataMapSystem,
  options: Pick<MaskingRunOptions, 'overrides' | 'subset'>,
  digest: KeyedDigest,
  freeTextDropped: boolean,
): Promise<MaskingPlan> {
  const { catalog, schema } = await reader.readCatalog();
  const rules = resolveMaskingRules(
    catalog,
    personalColumnsOf(system),
    options.overrides,
    declaredTablesOf(system),
  );
  if (rules.problems.length) {
    throw new InvalidInput(
      'masking.rules_invalid',
      `The masking rules cannot be applied:\n${rules.problems.map((p) => `  ${p.table}${p.column ? `.${p.column}` : ''}: ${p.message}`).join('\n')}`,
      { problems: rules.problems },
    );
  }
  const subset = options.subset
    ? await computeSubset(reader, catalog, planSubset(catalog, options.subset), digest)
    : undefined;
  const tables = catalog.tables.map((table) => {
    const exact = subset?.rows.get(table.id);
    return {
      table: table.id,
      rows: exact ?? table.estimatedRows,
      exact: exact !== undefined,
      columns: (rules.tables.find((t) => t.table === table.id)?.columns ?? []).map((rule) => ({
        column: rule.column,
        transformer: rule.transformer,
        source: rule.source,
        reason: rule.reason,
      })),
    };
  });
  const droppedFreeText = freeTextDropped
    ? rules.tables.flatMap((table) =>
        table.columns.filter((c) => c.transformer === 'free_text').map((c) => `${table.table}.${c.column}`),
      )
    : [];
  return {
    catalog,
    schema,
    rules,
    subset,
    summary: {
      tables,
      totalRows: tables.reduce((sum, table) => sum + table.rows, 0),
      subset: subset !== undefined,
      warnings: rules.warnings,
      droppedFreeText,
    },
  };
}
