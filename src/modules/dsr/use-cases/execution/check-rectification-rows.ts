import type { Connector } from '../../../../platform/connectors/connector.ts';
import type { DsrPlan } from '../../core/planning/dsr-plan.ts';
import { SubjectWalker } from './subject-walker.ts';

/**
 * The corrections that would write one value into several of the subject's rows without the
 * request saying which (by key) or confirming all, found by counting the rows on the live systems
 * (keys only are read). Checked before anything is written: such a request is refused, not guessed.
 */
export async function ambiguousRectifications(
  plan: DsrPlan,
  connectorFor: (systemId: string) => Connector,
): Promise<string[]> {
  const problems: string[] = [];
  for (const system of plan.systems) {
    const unspecified = new Set((system.rectification ?? []).filter((r) => !r.rows).map((r) => r.step));
    if (!unspecified.size) continue;
    const counts = new Map<string, number>();
    const walker = new SubjectWalker(system, plan.identities);
    for await (const { step, rows } of connectorFor(system.system).session((reader) =>
      walker.walk(reader, () => []),
    ))
      if (unspecified.has(step.id)) counts.set(step.id, (counts.get(step.id) ?? 0) + rows.length);
    for (const change of system.rectification ?? []) {
      const count = counts.get(change.step) ?? 0;
      if (change.rows || count <= 1) continue;
      const step = system.steps.find((s) => s.id === change.step)!;
      const fields = [...Object.keys(change.set), ...Object.keys(change.paths ?? {})];
      problems.push(
        `${system.system}.${step.collection} holds ${count} rows of the subject, and the correction of ${fields.join(', ')} names none of them: name the rows by key (${step.target.primaryKey.join(', ') || 'no key: confirm all'}) or confirm all`,
      );
    }
  }
  return problems;
}
