import type { ComplianceReport } from './compliance-report.ts';
import type { DryRunResult } from '../core/dry-run-collection.ts';
import type { RunApproval, RunReport } from '../core/retention-run-types.ts';
import type { FlowRunView } from './flows/flow-run-store.ts';

/** A run as the CLI prints it: one line per collection, then why rows were kept, then errors. */
export function renderRun(run: RunReport): string {
  const seconds = run.durationMs !== null ? ` in ${(run.durationMs / 1000).toFixed(1)} s` : '';
  const lines = [
    `${run.dryRun ? 'Dry run' : 'Run'} ${run.id} ${run.state}${seconds} (rules applied as of ${run.referenceTime}):`,
  ];
  if (run.approval) lines.push(`  ${approvalText(run.approval)}`);
  const rows = run.collections.map((c) =>
    run.dryRun
      ? [
          `${c.system}.${c.collection}`,
          c.rule,
          fmt(c.rowsSelected),
          fmt(c.rowsHeld ?? 0),
          (c.sample ?? []).map((k) => k.join('/')).join(', '),
        ]
      : [
          `${c.system}.${c.collection}`,
          c.rule,
          // A collection's rows are counted when its sweep starts: before that (a run awaiting
          // approval or queued) its 0s would read as "nothing due", so show that nothing was counted.
          ...[c.rowsSelected, c.rowsDeleted, c.rowsAnonymised, c.rowsKept].map((n) =>
            c.state === 'pending' ? '—' : fmt(n),
          ),
          c.state,
        ],
  );
  const header = run.dryRun
    ? ['COLLECTION', 'RULE', 'DUE', 'HELD', 'SAMPLE KEYS']
    : ['COLLECTION', 'RULE', 'DUE', 'DELETED', 'ANONYMISED', 'KEPT', 'STATE'];
  lines.push(...table(header, rows));
  for (const c of run.collections) {
    for (const [reason, n] of Object.entries(c.keptReasons))
      lines.push(`  kept ${fmt(n)} in ${c.collection}: ${reason}`);
    for (const [child, n] of Object.entries(c.rowsCascaded))
      lines.push(`  ${fmt(n)} ${child} rows went with ${c.collection} (ON DELETE CASCADE)`);
    for (const note of c.notes ?? []) lines.push(`  note on ${c.collection}: ${note}`);
    for (const error of c.errors) lines.push(`  error in ${c.collection}: ${error}`);
  }
  return lines.join('\n');
}

export function renderDryRun(result: DryRunResult): string {
  const lines = [
    `${result.system}.${result.collection}: ${result.rule} (cut-off ${result.cutoff})`,
    `  due now: ${fmt(result.rowsDue)} rows ${result.action === 'delete' ? 'would be deleted' : 'would be anonymised'}`,
    ...Object.entries(result.referencedReasons ?? {}).map(
      ([reason, n]) => `  kept: ${fmt(n)} rows, ${reason}`,
    ),
    ...(result.rowsHeld
      ? [`  held: ${fmt(result.rowsHeld)} rows selected by the rule but kept by a legal hold`]
      : []),
    ...(result.rowsAlreadyDone
      ? [`  already done: ${fmt(result.rowsAlreadyDone)} rows anonymised by an earlier run`]
      : []),
    result.sampleWithheld
      ? `  sample withheld: ${result.sampleWithheld}`
      : `  sample keys: ${result.sampleKeys.map((k) => k.join('/')).join(', ') || 'none'}`,
    ...result.notes.map((n) => `  note: ${n}`),
    ...result.problems.map((p) => `  cannot be enforced: ${p}`),
  ];
  return lines.join('\n');
}

export function renderComplianceReport(report: ComplianceReport): string {
  const s = report.summary;
  const lines = [
    `Retention compliance of tenant ${report.tenantId} at ${report.generatedAt}: ${s.collectionsWithPersonalData} collections hold personal data, ${s.withRule} with a rule, ${s.withoutRule} WITHOUT one, ${s.notScheduled} not scheduled; ${fmt(s.rowsOverdue)} rows overdue.`,
  ];
  const rows = report.collections.map((c) => [
    `${c.system}.${c.collection}`,
    c.rule ?? '—',
    c.oldestRecord ? `${fmt(c.oldestRecord.ageDays)} d (${c.oldestRecord.column})` : '—',
    c.rowsOverdue === null ? '—' : fmt(c.rowsOverdue),
    c.nextRun ? `${c.nextRun.at} (${c.nextRun.flowId})` : '—',
    c.flag ? c.flag.toUpperCase() : '',
  ]);
  lines.push(...table(['COLLECTION', 'RULE', 'OLDEST', 'OVERDUE', 'NEXT RUN', 'FLAG'], rows));
  for (const c of report.collections)
    for (const p of c.problems) lines.push(`  ${c.system}.${c.collection}: ${p}`);
  return lines.join('\n');
}

/** A flow run: one line per task with its result, then the report of each sweep it ran. */
export function renderFlowRun(run: FlowRunView, sweeps: RunReport[] = []): string {
  const lines = [
    `Flow ${run.flowId} run ${run.id}${run.dryRun ? ' (dry run)' : ''}: ${run.state}${run.error ? ` (${run.error})` : ''}`,
  ];
  const width = Math.max(...run.tasks.map((t) => t.id.length));
  for (const task of run.tasks) {
    const result = Object.entries(task.result ?? {})
      .filter(([key]) => key !== 'runId')
      .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(', ') || 'none' : String(value)}`)
      .join('; ');
    lines.push(
      `  ${task.id.padEnd(width)}  ${task.type.padEnd(16)} ${task.state.padEnd(8)} ${task.error ?? result}`,
    );
  }
  const waiting = run.tasks.find((t) => t.state === 'awaiting_approval');
  if (waiting?.runId)
    lines.push(
      `  The flow goes on once someone other than its requester approves run ${waiting.runId} (\`steward retention approve ${waiting.runId} --server …\`) or rejects it.`,
    );
  for (const sweep of sweeps) lines.push('', renderRun(sweep));
  return lines.join('\n');
}

/** Four eyes on a large run: why it waited, and who decided what. Actor ids only, never names. */
function approvalText(approval: RunApproval): string {
  const why = `${fmt(approval.rowsDue)} rows due, more than ${fmt(approval.rowsAbove)} (requested by ${approval.requestedBy.kind} ${approval.requestedBy.id})`;
  const decision = approval.decision;
  if (!decision) return `awaiting approval by someone else: ${why}`;
  return `${decision.outcome} by ${decision.by.kind} ${decision.by.id} at ${decision.at}${decision.reason ? ` (${decision.reason})` : ''}: ${why}`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}
