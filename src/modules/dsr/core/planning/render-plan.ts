import type { DsrPlan, SystemPlan } from './dsr-plan.ts';

/**
 * A plan as text for `steward dsr plan`: per system the graph (each collection, how it is reached
 * and the statement, with row estimates when counted), then for erasures what happens to each
 * collection and the statements in order. Identity values are not printed.
 */
export function renderPlan(plan: DsrPlan): string {
  const lines: string[] = [
    `${plan.kind} plan for tenant ${plan.tenant}, identities: ${plan.identities.map((i) => `${i.name} (${i.values.length} value${i.values.length === 1 ? '' : 's'}, ${i.match})`).join(', ')}`,
  ];
  const unknownFacts = (plan.facts ?? []).filter(
    (f) => f.source === 'data map' && plan.systems.some((s) => s.system === f.system),
  );
  if (plan.facts?.length)
    lines.push(
      `Keys, nullability and foreign keys: ${plan.facts.map((f) => `${f.system} from the ${f.source}`).join(', ')}`,
      ...unknownFacts.map((f) => `  ${f.system}: ${f.reason}`),
    );
  for (const system of plan.systems) lines.push('', ...renderSystem(system));
  if (!plan.systems.length) lines.push('', 'No collection of the data map holds these identities.');
  if (plan.unreached.length)
    lines.push(
      '',
      'Not reached:',
      ...plan.unreached.map((u) => `  ${u.system}.${u.collection}: ${u.reason}`),
    );
  if (plan.warnings?.length) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  - ${w.message}`));
  if (plan.notes.length) lines.push('', 'Notes:', ...plan.notes.map((n) => `  - ${n.message}`));
  if (plan.errors.length)
    lines.push('', 'ERRORS (the plan will not run):', ...plan.errors.map((e) => `  - ${e.message}`));
  return lines.join('\n');
}

function renderSystem(system: SystemPlan): string[] {
  const lines = [`System ${system.system} (${system.kind})`];
  for (const step of system.steps) {
    const reached = step.sources
      .map((s) =>
        s.kind === 'identity'
          ? `identity ${s.identity} in ${s.column}${s.lowercase ? ' (case-insensitive)' : ''}`
          : `via ${s.via}`,
      )
      .join(' or ');
    const estimate =
      step.estimatedRows === undefined
        ? ''
        : `  ~${step.estimatedRows} row${step.estimatedRows === 1 ? '' : 's'}`;
    const about = step.about
      ? ` [rows naming the subject as ${step.about.role}: ${step.about.fields.join(', ')} only]`
      : '';
    lines.push(
      `${'  '.repeat(step.depth + 1)}${step.collection}${about} ← ${reached}${estimate}`,
      `${'  '.repeat(step.depth + 2)}${step.statement}`,
    );
    if (step.withheld?.length)
      lines.push(
        `${'  '.repeat(step.depth + 2)}withheld (about another person, GDPR Art. 15(4)): ${step.withheld.map((w) => `${w.field} (${w.role})`).join(', ')}`,
      );
  }
  if (system.erasure) {
    lines.push('  Erasure:');
    for (const c of system.erasure.collections) {
      const parts: string[] = [c.action];
      if (c.masks.length)
        parts.push(`mask ${c.masks.map((m) => `${m.field}:${m.strategy.strategy}`).join(', ')}`);
      if (c.hold)
        parts.push(
          `hold ${c.hold.article} ${c.hold.period ?? 'indefinitely'}${c.hold.anchor ? ` from ${c.hold.anchor}` : ''}: ${c.hold.reason}`,
        );
      for (const hold of c.fieldHolds) parts.push(`keep ${hold.field} (${hold.article}): ${hold.reason}`);
      if (c.removedByCascade) parts.push(`removed by ON DELETE CASCADE via ${c.removedByCascade.via}`);
      if (c.pseudonymised?.length)
        parts.push(`pseudonymised only (still personal data): ${c.pseudonymised.join(', ')}`);
      const nullable = (r: (typeof c.inbound)[number]) =>
        r.nullable === undefined ? 'nullability unknown' : r.nullable ? 'nullable' : 'NOT NULL';
      if (c.action === 'delete' || c.action === 'keep')
        for (const r of c.inbound)
          parts.push(
            `referenced by ${r.via} (${nullable(r)}, ON DELETE ${r.onDelete.replace('_', ' ').toUpperCase()}${r.undeclared ? ', not in the data map' : ''})`,
          );
      if (c.reason) parts.push(c.reason);
      lines.push(`    ${c.step.split('.').slice(1).join('.')}: ${parts.join('; ')}`);
    }
    lines.push('  Statements, in order:');
    system.erasure.operations.forEach((op, i) =>
      lines.push(
        op.kind === 'detach'
          ? `    ${i + 1}. unlink ${op.holder} (${op.via}): ${op.statement}`
          : `    ${i + 1}. ${op.kind} ${op.step.split('.').slice(1).join('.')}: ${op.statement}`,
      ),
    );
  }
  for (const r of system.rectification ?? []) {
    const fields = [
      ...Object.keys(r.set),
      ...Object.entries(r.paths ?? {}).flatMap(([column, paths]) =>
        Object.keys(paths).map((p) => `${column} at ${p}`),
      ),
    ];
    const rows =
      r.rows === 'all'
        ? 'every row of the subject'
        : r.rows
          ? `rows ${r.rows.map((k) => JSON.stringify(k)).join(', ')}`
          : "the subject's row (refused if there are several: name the row or confirm all)";
    const step = system.steps.find((s) => s.id === r.step);
    const found = step?.estimatedKeys
      ? `; the subject's rows there now: ${step.estimatedKeys.map((k) => Object.values(k).join('/')).join(', ') || 'none'}${(step.estimatedRows ?? 0) > step.estimatedKeys.length ? ', …' : ''}`
      : '';
    lines.push(
      `  Rectify ${r.step.split('.').slice(1).join('.')}: ${fields.join(', ')} on ${rows}${found}`,
      `    ${r.statement}`,
    );
  }
  for (const skip of system.skipped ?? [])
    lines.push(`  Not changed ${skip.collection}.${skip.field}: ${skip.reason}`);
  return lines;
}
