import type { Assignment, Connector, Row } from '../../../../platform/connectors/connector.ts';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { DsrPlan } from '../../core/planning/dsr-plan.ts';
import type { RectificationReport } from './execution-report.ts';
import { BATCH_SIZE, SubjectWalker, systemOf } from './subject-walker.ts';

/**
 * Art. 16 for one system, in one transaction: the corrected values are written into every field
 * the plan lists, on the subject's rows only. The rows are found first (by the identities as they
 * were), then updated by primary key, so correcting the identity itself (a new email) is safe.
 * Writing the same values again is harmless.
 */
export async function runRectificationForSystem(
  plan: DsrPlan,
  systemId: string,
  connector: Connector,
): Promise<RectificationReport> {
  const system = systemOf(plan, systemId);
  if (plan.kind !== 'rectification' || !system.rectification) {
    throw new InvalidInput(
      'dsr.not_a_rectification_plan',
      `runRectificationForSystem needs a rectification plan (planRectification); this one is ${plan.kind}.`,
    );
  }
  const updates = new Map(system.rectification.map((r) => [r.step, r]));
  return connector.transaction(async (tx) => {
    const walker = new SubjectWalker(system, plan.identities);
    const rowsOf = new Map<string, Row[]>();
    for await (const { step, rows } of walker.walk(tx, () => [], { lock: connector.kind !== 'http' })) {
      if (updates.has(step.id)) rowsOf.set(step.id, [...(rowsOf.get(step.id) ?? []), ...rows]);
    }
    const report: RectificationReport = { system: systemId, collections: [] };
    for (const step of system.steps) {
      const update = updates.get(step.id);
      if (!update) continue;
      const set: Record<string, Assignment> = Object.fromEntries(
        Object.entries(update.set).map(([field, value]) => [field, { kind: 'value', value }]),
      );
      const key = step.target.primaryKey;
      let rowsUpdated = 0;
      if (key.length) {
        const keys = (rowsOf.get(step.id) ?? []).map((row) => key.map((c) => row[c]));
        for (let i = 0; i < keys.length; i += BATCH_SIZE) {
          rowsUpdated += await tx.update({
            target: step.target,
            set,
            where: { kind: 'in', columns: key, tuples: keys.slice(i, i + BATCH_SIZE) },
          });
        }
      } else {
        for (const where of walker.chunks(step))
          rowsUpdated += await tx.update({ target: step.target, set, where });
      }
      report.collections.push({ collection: step.collection, rowsUpdated, fields: Object.keys(update.set) });
    }
    return report;
  });
}
