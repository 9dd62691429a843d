import type { Connector } from '../../../../platform/connectors/connector.ts';
import type { DsrPlan } from '../../core/planning/dsr-plan.ts';
import { SubjectWalker, systemOf } from './subject-walker.ts';

const KEYS_LISTED = 20;

/**
 * Fills `estimatedRows` of each step of one system with the number of the subject's rows there,
 * counted on the live system (keys only are read, to find children). Returns a new plan; the
 * given one is not changed.
 */
export async function estimatePlanRows(
  plan: DsrPlan,
  systemId: string,
  connector: Connector,
): Promise<DsrPlan> {
  const system = systemOf({ ...plan, errors: [] }, systemId);
  const walker = new SubjectWalker(system, plan.identities);
  const counts = new Map<string, number>();
  // A rectification lists the rows it will change (by key) before anyone approves it.
  const listed = new Set(
    plan.kind === 'rectification' ? (system.rectification ?? []).map((r) => r.step) : [],
  );
  const keys = new Map<string, Record<string, unknown>[]>();
  for await (const { step, rows } of connector.session((reader) => walker.walk(reader, () => []))) {
    counts.set(step.id, (counts.get(step.id) ?? 0) + rows.length);
    if (!listed.has(step.id) || !step.target.primaryKey.length || step.personalKey) continue;
    const list = keys.get(step.id) ?? [];
    for (const row of rows.slice(0, KEYS_LISTED - list.length))
      list.push(Object.fromEntries(step.target.primaryKey.map((c) => [c, row[c]])));
    keys.set(step.id, list);
  }
  return {
    ...plan,
    systems: plan.systems.map((s) =>
      s.system !== systemId
        ? s
        : {
            ...s,
            steps: s.steps.map((step) => ({
              ...step,
              estimatedRows: counts.get(step.id) ?? 0,
              ...(keys.has(step.id) ? { estimatedKeys: keys.get(step.id) } : {}),
            })),
          },
    ),
  };
}
