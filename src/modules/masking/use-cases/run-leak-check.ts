import {
  LeakNeedles,
  LeakTally,
  MIN_CONTAINED_LENGTH,
  sameValue,
  type LeakCheckResult,
} from '../core/leak-check.ts';
import type { ColumnRule, MaskingRules } from '../core/masking-rules.ts';
import type { SourceCatalog } from '../core/source-catalog.ts';
import type { DatabaseReader } from '../sql/masking-database.ts';

export interface LeakCheckInput {
  source: DatabaseReader;
  copy: DatabaseReader;
  catalog: SourceCatalog;
  rules: MaskingRules;
  /** Source rows sampled per table (and twice as many copy rows looked at). */
  sample: number;
}

/**
 * Looks for source values of personal-data columns in the copy. A sample of each table's source
 * rows gives the values to look for; a sample of the copy's rows is then searched: every masked
 * cell for any of those values (exact and case-folded) when its transformer's outputs come from
 * a space too large to meet a real value by chance, free text and JSON for any of them inside,
 * and — for the sampled rows themselves, found again in the copy by primary key — every masked
 * column for its own source value. Only counts per column are kept.
 */
export async function runLeakCheck(input: LeakCheckInput): Promise<LeakCheckResult> {
  const tally = new LeakTally();
  const needles = new LeakNeedles();
  const sources = new Map<string, Record<string, string | null>[]>();
  const checked = input.rules.tables.filter((table) =>
    table.columns.some((column) => column.leakCheck !== 'none'),
  );

  for (const rules of checked) {
    const table = input.catalog.tables.find((t) => t.id === rules.table)!;
    const columns = [
      ...new Set([...(table.primaryKey?.columns ?? []), ...rules.columns.map((c) => c.column)]),
    ];
    const rows = await input.source.sampleRows(table, columns, input.sample);
    sources.set(table.id, rows);
    for (const row of rows) {
      for (const rule of rules.columns) {
        const value = row[rule.column];
        // Only values from a large space are looked for everywhere: a real first name inside a fake
        // e-mail, or a short code equal to a masked one, is chance, not a leak; those are checked row by row.
        if (value && rule.leakCheck === 'anywhere' && value.trim().length >= MIN_CONTAINED_LENGTH)
          needles.add(value);
      }
    }
  }
  tally.sampledValues = needles.size;

  for (const rules of checked) {
    const table = input.catalog.tables.find((t) => t.id === rules.table)!;
    const searched = rules.columns.filter((c) => c.leakCheck === 'anywhere' || c.leakCheck === 'contains');
    if (searched.length) {
      for (const row of await input.copy.sampleRows(
        table,
        searched.map((c) => c.column),
        input.sample * 2,
      )) {
        for (const rule of searched) {
          const cell = row[rule.column];
          if (cell === null || cell === undefined) continue;
          tally.record(
            table.id,
            rule.column,
            rule.leakCheck === 'contains' ? 'contains' : 'anywhere',
            leaked(rule, cell, needles),
          );
        }
      }
    }
    const key = table.primaryKey?.columns;
    const keyIsMasked = key?.some((column) =>
      rules.columns.some((rule) => rule.column === column && rule.transformer !== 'keep'),
    );
    if (!key || keyIsMasked) continue;
    const sampled = sources.get(table.id) ?? [];
    const copies = await input.copy.readByKeys(
      table,
      [...key, ...rules.columns.map((c) => c.column)],
      key,
      sampled.map((row) => key.map((column) => row[column]!)),
    );
    const byKey = new Map(copies.map((row) => [key.map((column) => row[column]).join('\u0001'), row]));
    for (const source of sampled) {
      const copy = byKey.get(key.map((column) => source[column]).join('\u0001'));
      if (!copy) continue;
      for (const rule of rules.columns.filter((c) => c.leakCheck !== 'none' && c.leakCheck !== 'contains')) {
        tally.record(
          table.id,
          rule.column,
          'row',
          sameValue(source[rule.column] ?? null, copy[rule.column] ?? null),
        );
      }
    }
  }
  return tally.result();
}

function leaked(rule: ColumnRule, cell: string, needles: LeakNeedles): boolean {
  return rule.leakCheck === 'contains' ? needles.containedIn(cell) : needles.equals(cell);
}
