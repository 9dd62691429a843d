import type { DataMap, DataMapField } from '../../../../platform/datamap/datamap-types.ts';
import type { Correction, DsrPlan, PlanProblem } from './dsr-plan.ts';
import { normaliseIdentities, type RequestIdentities } from './normalise-identities.ts';
import { describeUpdate } from './plan-statements.ts';
import { planSteps } from './plan-steps.ts';

/**
 * Art. 16: the new values go into every field of the subject's rows that the data map says holds
 * them: by data category (`user.name` covers `user.name.first`), by identity, or one named field.
 * Keys (primary and foreign) are never rewritten: that would re-link rows, not correct them.
 */
export function planRectification(
  dataMap: DataMap,
  identities: RequestIdentities,
  corrections: Correction[],
): DsrPlan {
  const planIdentities = normaliseIdentities(dataMap, identities);
  const { systems, unreached, notes } = planSteps(dataMap, planIdentities);
  const errors: PlanProblem[] = [];
  const matched = new Set<number>();
  for (const systemPlan of systems) {
    const system = dataMap.systems.find((s) => s.id === systemPlan.system)!;
    const keyColumns = new Set(
      dataMap.edges
        .filter((e) => e.holder.system === system.id)
        .flatMap((e) => e.fields.map((f) => `${e.holder.collection}.${f.holder}`)),
    );
    systemPlan.rectification = [];
    for (const step of systemPlan.steps) {
      const collection = system.collections.find((c) => c.name === step.collection)!;
      const set: Record<string, Correction['value']> = {};
      for (const field of collection.fields) {
        const index = corrections.findIndex((correction) =>
          concerns(correction, system.id, collection.name, field),
        );
        if (index < 0) continue;
        matched.add(index);
        if (
          collection.primaryKey.includes(field.name) ||
          keyColumns.has(`${collection.name}.${field.name}`)
        ) {
          errors.push({
            code: 'rectification.key_field',
            message: `${collection.name}.${field.name} is a key that links rows; it is not rewritten by a rectification.`,
            system: system.id,
            collection: collection.name,
          });
          continue;
        }
        set[field.name] = corrections[index]!.value;
      }
      if (Object.keys(set).length) {
        systemPlan.rectification.push({
          step: step.id,
          set,
          statement: describeUpdate(system.kind, step.target, step.sources, Object.keys(set), false),
        });
      }
    }
  }
  corrections.forEach((correction, index) => {
    if (!matched.has(index))
      errors.push({
        code: 'rectification.no_field',
        message: `No field of the subject's data holds ${JSON.stringify(correction.target)}; check the category, identity or field name.`,
      });
  });
  return {
    version: 1,
    kind: 'rectification',
    tenant: dataMap.tenant,
    identities: planIdentities,
    systems,
    unreached,
    errors,
    notes,
  };
}

function concerns(correction: Correction, system: string, collection: string, field: DataMapField): boolean {
  const target = correction.target;
  if ('category' in target)
    return field.categories.some((c) => c === target.category || c.startsWith(`${target.category}.`));
  if ('identity' in target) return field.identity === target.identity;
  return target.system === system && target.collection === collection && target.field === field.name;
}
