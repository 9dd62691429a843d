import { isAbsolute, relative } from 'node:path';
import type { DataMapCheckReport, DataMapFinding } from './datamap-finding.ts';

/** `file:line` relative to `root` (the checkout CI runs in), else the finding's YAML path. */
export function findingLocation(finding: DataMapFinding, root: string): string {
  if (!finding.file) return finding.path;
  const file = isAbsolute(finding.file) ? relative(root, finding.file) : finding.file;
  return `${file}${finding.line ? `:${finding.line}` : ''}`;
}

/** One line per finding, the way compilers cite a place, then a line per check and the totals. */
export function renderFindingsText(report: DataMapCheckReport, root: string): string {
  const lines = report.sources.flatMap((source) =>
    source.findings.map(
      (f) =>
        `${findingLocation(f, root)}: ${f.severity} ${f.rule} (${f.subject}): ${f.message}. Fix: ${f.fix}. [${f.reference}]`,
    ),
  );
  for (const source of report.sources) {
    const errors = source.findings.filter((f) => f.severity === 'error').length;
    lines.push(
      `${source.source}: ${errors} error(s), ${source.findings.length - errors} warning(s) — ${source.scope}`,
    );
  }
  lines.push(`Data map check: ${report.errors} error(s), ${report.warnings} warning(s).`);
  return `${lines.join('\n')}\n`;
}
