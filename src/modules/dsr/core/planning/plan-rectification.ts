import { didYouMean } from '../../../../kernel/errors/did-you-mean.ts';
import type {
  DataMap,
  DataMapCollection,
  DataMapField,
  DataMapSystem,
} from '../../../../platform/datamap/datamap-types.ts';
import type {
  Correction,
  DsrPlan,
  PlanProblem,
  PlanStep,
  RectificationSkip,
  RectificationStep,
  SystemPlan,
} from './dsr-plan.ts';
import { normaliseIdentities, type RequestIdentities } from './normalise-identities.ts';
import { applyFacts, identityFormatWarnings, type PlanFacts } from './plan-facts.ts';
import { describeUpdate } from './plan-statements.ts';
import { planSteps } from './plan-steps.ts';
import { valueMisfit } from './value-fit.ts';

/**
 * Art. 16: each correction reaches the fields of the subject's rows that the data map says hold
 * it: by data category (`user.name` covers `user.name.first`), by identity, or one named field.
 * Only fields that describe the subject are reached: a gift recipient's street in the subject's
 * order is someone else's data, and rows that name the subject as another person take only that
 * role's fields. Keys (primary and foreign) are never rewritten (that re-links rows, it corrects
 * nothing): reaching one is an error. A JSON column is changed at the paths the data map declares
 * for the category; one without a fitting path, or a value the column cannot hold, is skipped with
 * the reason, and does not stop the other corrections.
 *
 * Which rows: every row of the subject in the collection, which must be one unless the correction
 * names rows by key or says `all` (checked against the live rows before anything is written).
 */
export function planRectification(
  declared: DataMap,
  identities: RequestIdentities,
  corrections: Correction[],
  facts?: PlanFacts,
): DsrPlan {
  const { dataMap, errors, warnings, sources } = applyFacts(declared, facts);
  const planIdentities = normaliseIdentities(dataMap, identities);
  const { systems, unreached, notes } = planSteps(dataMap, planIdentities);
  const reached = new Set<number>();
  for (const systemPlan of systems) {
    const system = dataMap.systems.find((s) => s.id === systemPlan.system)!;
    planSystem(dataMap, system, systemPlan, corrections, reached, errors, notes);
  }
  corrections.forEach((correction, index) => {
    if (!reached.has(index))
      errors.push({
        code: 'rectification.no_field',
        message: `No field of the subject's data holds ${describeTarget(correction)}.${suggestTarget(dataMap, correction)} Check the category, identity or field name.`,
      });
    for (const selector of Array.isArray(correction.rows) ? correction.rows : []) {
      const named = systems.some((s) =>
        s.steps.some(
          (step) =>
            step.collection === selector.collection && (!selector.system || selector.system === s.system),
        ),
      );
      if (!named)
        errors.push({
          code: 'rectification.row_collection',
          message: `A row is named in ${selector.collection}, which holds none of the subject's data.`,
          collection: selector.collection,
        });
    }
  });
  warnings.push(...identityFormatWarnings(dataMap, systems, planIdentities, facts?.phoneSamples));
  return {
    version: 1,
    kind: 'rectification',
    tenant: dataMap.tenant,
    identities: planIdentities,
    systems,
    unreached,
    errors,
    warnings,
    notes,
    facts: sources,
  };
}

function planSystem(
  dataMap: DataMap,
  system: DataMapSystem,
  systemPlan: SystemPlan,
  corrections: Correction[],
  reached: Set<number>,
  errors: PlanProblem[],
  notes: PlanProblem[],
): void {
  const keyColumns = new Set([
    ...dataMap.edges
      .filter((e) => e.holder.system === system.id)
      .flatMap((e) => e.fields.map((f) => `${e.holder.collection}.${f.holder}`)),
  ]);
  const steps: RectificationStep[] = [];
  const skipped: RectificationSkip[] = [];
  for (const step of systemPlan.steps) {
    const collection = system.collections.find((c) => c.name === step.collection)!;
    // One statement per distinct row selection: a street for address 100 and a city for all of them.
    const byRows = new Map<string, RectificationStep>();
    corrections.forEach((correction, index) => {
      const skip = (field: string, reason: string) => {
        reached.add(index);
        skipped.push({ system: system.id, collection: collection.name, field, reason });
      };
      for (const field of fieldsReached(correction, system.id, collection, step)) {
        reached.add(index);
        if (
          collection.primaryKey.includes(field.name) ||
          keyColumns.has(`${collection.name}.${field.name}`)
        ) {
          errors.push({
            code: 'rectification.key_field',
            message: `${collection.name}.${field.name} is a key that links rows; it is not rewritten by a rectification. Correct it in the system itself, or leave ${describeTarget(correction)} out of the request.`,
            system: system.id,
            collection: collection.name,
          });
          continue;
        }
        const rows = rowsOf(correction, system.id, collection);
        const entry =
          byRows.get(JSON.stringify(rows ?? null)) ??
          ({ step: step.id, set: {}, ...(rows ? { rows } : {}), statement: '' } as RectificationStep);
        if (field.type?.family === 'json') {
          const paths = pathsReached(correction, field);
          if (!paths.length) {
            skip(field.name, jsonRefusal(correction, field));
            continue;
          }
          entry.paths ??= {};
          for (const path of paths) (entry.paths[field.name] ??= {})[path] = correction.value;
        } else {
          const misfit = valueMisfit(correction.value, field);
          if (misfit) {
            skip(field.name, misfit);
            continue;
          }
          entry.set[field.name] = correction.value;
        }
        byRows.set(JSON.stringify(rows ?? null), entry);
      }
      if (step.about || !('category' in correction.target || 'identity' in correction.target)) return;
      const others = collection.fields.filter((f) => f.otherSubject && fieldMatches(correction, f));
      if (others.length)
        notes.push({
          code: 'rectification.other_subject',
          message: `${others.map((f) => `${collection.name}.${f.name}`).join(', ')} describe${others.length === 1 ? 's' : ''} another person (${[...new Set(others.map((f) => f.otherSubject))].join(', ')}): not changed by the subject's correction of ${describeTarget(correction)}.`,
          system: system.id,
          collection: collection.name,
        });
    });
    for (const entry of byRows.values()) {
      const columns = [...Object.keys(entry.set), ...Object.keys(entry.paths ?? {})];
      if (!columns.length) continue;
      entry.statement = describeUpdate(system.kind, step.target, step.sources, columns, false);
      steps.push(entry);
    }
  }
  systemPlan.rectification = steps;
  systemPlan.skipped = skipped;
}

/**
 * The fields of one step a correction reaches: the subject's own fields by category, identity or
 * name. On a row that names the subject as another person (Bob's gift order to Ann) only a field
 * of that role named explicitly is reached: it is Ann's data, but on Bob's record, so it is never
 * rewritten as a side effect of correcting her own address.
 */
function fieldsReached(
  correction: Correction,
  system: string,
  collection: DataMapCollection,
  step: PlanStep,
): DataMapField[] {
  const target = correction.target;
  if ('system' in target) {
    if (target.system !== system || target.collection !== collection.name) return [];
    const candidates = step.about
      ? collection.fields.filter((f) => step.about!.fields.includes(f.name))
      : collection.fields.filter((f) => !f.otherSubject);
    return candidates.filter((f) => f.name === target.field);
  }
  if (step.about) return [];
  return collection.fields.filter((f) => !f.otherSubject && fieldMatches(correction, f));
}

function fieldMatches(correction: Correction, field: DataMapField): boolean {
  const target = correction.target;
  if ('category' in target)
    return [...field.categories, ...(field.paths ?? []).flatMap((p) => p.categories)].some((c) =>
      covers(target.category, c),
    );
  if ('identity' in target) return field.identity === target.identity;
  return false;
}

function pathsReached(correction: Correction, field: DataMapField): string[] {
  const target = correction.target;
  if (!('category' in target)) return [];
  return (field.paths ?? [])
    .filter((p) => p.categories.some((c) => covers(target.category, c)))
    .map((p) => p.path);
}

function jsonRefusal(correction: Correction, field: DataMapField): string {
  if (!field.paths?.length)
    return `a JSON column is corrected at declared paths only, and the data map declares none for ${field.name} (add paths: [{ path: …, categories: [...] }])`;
  if ('category' in correction.target)
    return `a JSON column is corrected at declared paths only, and none of ${field.name}'s paths (${field.paths.map((p) => p.path).join(', ')}) holds ${correction.target.category}`;
  return `a JSON column is corrected by data category at its declared paths (${field.paths.map((p) => p.path).join(', ')}), not as a whole`;
}

/** `user.contact` covers `user.contact.email`. */
function covers(requested: string, category: string): boolean {
  return category === requested || category.startsWith(`${requested}.`);
}

function rowsOf(
  correction: Correction,
  system: string,
  collection: DataMapCollection,
): RectificationStep['rows'] {
  if (correction.rows === 'all') return 'all';
  const keys = (correction.rows ?? [])
    .filter((r) => r.collection === collection.name && (!r.system || r.system === system))
    .map((r) => r.key);
  return keys.length ? keys : undefined;
}

function describeTarget(correction: Correction): string {
  const target = correction.target;
  if ('category' in target) return `category ${target.category}`;
  if ('identity' in target) return `identity ${target.identity}`;
  return `${target.system}.${target.collection}.${target.field}`;
}

/** The known names nearest a target nothing holds: categories, identities or fields of the data map. */
function suggestTarget(dataMap: DataMap, correction: Correction): string {
  const { target } = correction;
  const fields = dataMap.systems.flatMap((system) =>
    system.collections.flatMap((collection) =>
      collection.fields.map((field) => ({ system, collection, field })),
    ),
  );
  const known =
    'category' in target
      ? fields.flatMap(({ field }) => field.categories)
      : 'identity' in target
        ? dataMap.identities.map((identity) => identity.name)
        : fields.map(({ system, collection, field }) => `${system.id}.${collection.name}.${field.name}`);
  const given =
    'category' in target
      ? target.category
      : 'identity' in target
        ? target.identity
        : `${target.system}.${target.collection}.${target.field}`;
  return didYouMean(given, known);
}
