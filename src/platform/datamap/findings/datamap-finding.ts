/**
 * The common shape of what `steward datamap check` reports, whichever check found it: the GDPR
 * compliance of the data map (governance) or the data map against the data itself (discovery's
 * drift). Plain data, so the text, JSON, JUnit and SARIF renderers know no module. Never holds a
 * value read from a system: names, counts, categories and confidences only.
 */
export type FindingSeverity = 'error' | 'warning';

/** A rule a check applies, for CI reports that list what was checked (JUnit suites, SARIF rules). */
export interface FindingRule {
  /** Stable id, prefixed by the module: `governance.processor_without_dpa`, `discovery.undeclared_field`. */
  id: string;
  title: string;
  severity: FindingSeverity;
  /** The legal rule it enforces: `GDPR Art. 28(3)`. */
  reference: string;
}

/** One finding, pointing at the data-map line to edit. */
export interface DataMapFinding {
  rule: string;
  severity: FindingSeverity;
  /** The data-map file to edit; absent when the finding has no place in the files (a register entry). */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** Where in the data map, as a YAML path: `systems[shop].collections[orders].fields[email]`. */
  path: string;
  /** What it is about, in a few words: `shop.orders`, `Card processor`. */
  subject: string;
  message: string;
  /** What to change so the finding goes away. */
  fix: string;
  reference: string;
  /** Facts a CI annotation may show (categories, confidence); never a value of the data. */
  properties?: Record<string, string | number | boolean | readonly string[]>;
}

/** What one check reported: its rules, its findings and, in one line, what it looked at. */
export interface FindingSource {
  /** `compliance` or `drift`: the name `--only` takes. */
  source: string;
  title: string;
  /** What was checked: `3 systems, 42 collections sampled (200 rows each)`. */
  scope: string;
  rules: readonly FindingRule[];
  findings: readonly DataMapFinding[];
}

/** Every source's findings, as `steward datamap check --format json` prints them. */
export interface DataMapCheckReport {
  checkedAt: string;
  errors: number;
  warnings: number;
  sources: readonly FindingSource[];
}

/** Combines the sources' results into one report with its totals. */
export function combineFindings(sources: readonly FindingSource[], checkedAt: Date): DataMapCheckReport {
  const all = sources.flatMap((s) => s.findings);
  return {
    checkedAt: checkedAt.toISOString(),
    errors: all.filter((f) => f.severity === 'error').length,
    warnings: all.filter((f) => f.severity === 'warning').length,
    sources,
  };
}

/** True when the report fails the check: any error, or with `strict` any warning too. */
export function checkFails(report: DataMapCheckReport, strict: boolean): boolean {
  return report.errors > 0 || (strict && report.warnings > 0);
}
