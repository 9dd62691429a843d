import type { MaskingPlanSummary, MaskingReport } from './masking-run-types.ts';

const number = (value: number) => value.toLocaleString('en-US');

/** The plan as text: rows per table (the size before copying), masked columns and why, warnings. */
export function renderMaskingPlan(plan: MaskingPlanSummary): string {
  const lines = [
    `${plan.subset ? 'Subset' : 'Full copy'}: ${number(plan.totalRows)} rows in ${plan.tables.length} tables`,
    '',
  ];
  for (const table of plan.tables) {
    lines.push(
      `  ${table.table.padEnd(36)} ${`${table.exact ? '' : '~'}${number(table.rows)}`.padStart(12)} rows`,
    );
    for (const column of table.columns)
      lines.push(`      ${column.column.padEnd(24)} ${column.transformer.padEnd(15)} ${column.reason}`);
  }
  if (plan.droppedFreeText.length)
    lines.push('', `Free text dropped (no PII detector): ${plan.droppedFreeText.join(', ')}`);
  if (plan.warnings.length) {
    lines.push('', 'WARNINGS');
    for (const warning of plan.warnings)
      lines.push(`  ${warning.table}${warning.column ? `.${warning.column}` : ''}: ${warning.message}`);
  }
  return lines.join('\n');
}

/** The run's report as text: state, rows per table, the cardinality table and the leak check. */
export function renderMaskingReport(report: MaskingReport): string {
  const lines = [
    `Masking run ${report.runId}: ${report.state.toUpperCase()} (${report.phase}) — ${number(report.rowsCopied)} rows from ${report.sourceSystem} to a ${report.target.kind}`,
  ];
  if (report.error) lines.push(`  ${report.error}`);
  lines.push('', 'TABLES');
  for (const table of report.tables) {
    lines.push(
      `  ${table.table.padEnd(36)} ${table.state.padEnd(8)} ${number(table.rowsCopied).padStart(12)}  ${table.transformers.join(', ')}`,
    );
  }
  if (report.cardinality) {
    const t = report.cardinality.tolerance;
    lines.push(
      '',
      `CARDINALITY (source → copy; tolerance: distinct ±${t.distinct * 100} %, nulls ±${t.nullFraction * 100} pt, mean length ±${t.meanLength * 100} %)`,
    );
    for (const row of report.cardinality.rows) {
      const s = row.source;
      const c = row.copy;
      lines.push(
        `  ${`${row.table}.${row.column}`.padEnd(40)} ${row.transformer.padEnd(14)} distinct ${number(s.distinct)} → ${number(c.distinct)}  nulls ${(s.nullFraction * 100).toFixed(1)} → ${(c.nullFraction * 100).toFixed(1)} %  length p50 ${s.length.p50} → ${c.length.p50}  ${row.withinTolerance ? 'ok' : `OUTSIDE (${row.drift.join('; ')})`}`,
      );
    }
  }
  if (report.leakCheck) {
    const leak = report.leakCheck;
    lines.push(
      '',
      `LEAK CHECK: ${leak.passed ? 'passed' : 'FAILED'} — ${number(leak.sampledValues)} source values looked for in ${number(leak.checkedCells)} cells of the copy`,
    );
    for (const finding of leak.findings)
      lines.push(`  ${finding.table}.${finding.column}: ${finding.matches} ${finding.mode} match(es)`);
  }
  return lines.join('\n');
}
