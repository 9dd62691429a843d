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
  for (const system of plan.systems) lines.push('', ...renderSystem(system));
  if (!plan.systems.length) lines.push('', 'No collection of the data map holds these identities.');
  if (plan.unreached.length)
    lines.push(
      '',
      'Not reached:',
      ...plan.unreached.map((u) => `  ${u.system}.${u.collection}: ${u.reason}`),
    );
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
    lines.push(
      `${'  '.repeat(step.depth + 1)}${step.collection} ← ${reached}${estimate}`,
      `${'  '.repeat(step.depth + 2)}${step.statement}`,
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
      if (c.reason) parts.push(c.reason);
      lines.push(`    ${c.step.split('.').slice(1).join('.')}: ${parts.join('; ')}`);
    }
    lines.push('  Statements, in order:');
    system.erasure.operations.forEach((op, i) =>
      lines.push(`    ${i + 1}. ${op.kind} ${op.step.split('.').slice(1).join('.')}: ${op.statement}`),
    );
  }
  for (const r of system.rectification ?? [])
    lines.push(`  Rectify ${r.step}: ${Object.keys(r.set).join(', ')}: ${r.statement}`);
  return lines;
}
