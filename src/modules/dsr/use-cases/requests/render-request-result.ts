import type { ErasureReport, RectificationReport, SurvivingRows } from '../execution/execution-report.ts';

interface StepView {
  step: string;
  kind: string;
  status: string;
  result: unknown;
}

/**
 * The execution report of a request as text for `steward dsr status`: per erased system what was
 * deleted, masked and kept (with each kept group's reason and legal ground) and which rows of the
 * subject were still found afterwards; per corrected system what changed and what did not, and why.
 * Counts, collection and field names and row keys only, never values.
 */
export function renderRequestResult(steps: StepView[]): string[] {
  const lines: string[] = [];
  for (const step of steps) {
    const result = step.result as { report?: ErasureReport | RectificationReport; plan?: unknown } | null;
    if (!result?.report || step.status !== 'succeeded') continue;
    if (step.kind === 'erase') lines.push(...renderErasure(result.report as ErasureReport));
    if (step.kind === 'rectify') lines.push(...renderRectification(result.report as RectificationReport));
  }
  return lines.length ? ['  report:', ...lines] : [];
}

/** One erasure report: the lines `dsr status` and `dsr replay-erasures` print for a system. */
export function renderErasure(report: ErasureReport, indent = '    '): string[] {
  const lines = [`${indent}${report.system}${report.dryRun ? ' (dry run: nothing changed)' : ''}:`];
  for (const c of report.collections) {
    const name = `${c.collection}${c.about ? ` (rows naming the subject as ${c.about})` : ''}`;
    const parts: string[] = [];
    const deleted = c.rowsDeleted + c.rowsDeletedByCascade;
    if (deleted)
      parts.push(
        `${deleted} deleted${c.rowsDeletedByCascade ? ` (${c.rowsDeletedByCascade} by ON DELETE CASCADE)` : ''}`,
      );
    const masked = Object.entries(c.fieldsMasked);
    if (masked.length) parts.push(`masked ${masked.map(([field, n]) => `${field}×${n}`).join(' ')}`);
    if (c.pseudonymised?.length) parts.push(`only pseudonymised: ${c.pseudonymised.join(', ')}`);
    if (!parts.length && !c.rowsKept.length) parts.push('no rows of the subject');
    lines.push(`${indent}  ${name}: ${parts.join(', ') || 'nothing changed'}`);
    for (const kept of c.rowsKept)
      lines.push(
        `${indent}    kept ${kept.count}${kept.fields ? ` (fields ${kept.fields.join(', ')})` : ''}: ${kept.reason}${kept.article ? ` [${kept.article}${kept.until ? ` until ${kept.until}` : ''}]` : ''}`,
      );
  }
  const survivors = report.verification?.survivors ?? [];
  if (report.verification)
    lines.push(
      survivors.length
        ? `${indent}  STILL FOUND after the erasure (${report.verification.rechecked} rows checked):`
        : `${indent}  verified by reading the system again (${report.verification.rechecked} rows checked): none of the subject's rows remains outside a declared legal hold`,
    );
  for (const survivor of survivors) lines.push(`${indent}    ${describeSurvivor(survivor)}`);
  return lines;
}

export function describeSurvivor(survivor: SurvivingRows): string {
  const keys = survivor.keys?.length
    ? ` — ${survivor.keys.map((k) => Object.values(k).join('/')).join(', ')}${survivor.keys.length < survivor.count ? ', …' : ''}`
    : '';
  return `${survivor.count} ${survivor.collection}${survivor.about ? ` (as ${survivor.about})` : ''} row${survivor.count === 1 ? '' : 's'} ${survivor.reason}${keys}`;
}

function renderRectification(report: RectificationReport): string[] {
  const lines = [`    ${report.system}:`];
  for (const c of report.collections)
    lines.push(
      `      ${c.collection}${c.about ? ` (as ${c.about})` : ''}: ${c.fields.join(', ')} on ${c.rowsUpdated} row${c.rowsUpdated === 1 ? '' : 's'}`,
    );
  for (const n of report.notChanged ?? [])
    lines.push(`      NOT CHANGED ${n.collection}.${n.fields.join(', ')}: ${n.reason}`);
  return lines;
}
