import { collectionKey } from '../../../../platform/datamap/datamap-reachability.ts';
import type {
  DataMap,
  DataMapCollection,
  DataMapField,
  DataMapSystem,
  ErasureStrategy,
  FieldAddress,
  ReferenceEdge,
} from '../../../../platform/datamap/datamap-types.ts';
import { effectiveErasure } from '../../../../platform/datamap/effective-erasure.ts';
import type {
  CollectionErasurePlan,
  DsrPlan,
  ErasureAction,
  FieldMask,
  InboundReference,
  PlanProblem,
  PlanStep,
  SystemPlan,
} from './dsr-plan.ts';
import { orderDeletions } from './erasure-order.ts';
import { normaliseIdentities, type RequestIdentities } from './normalise-identities.ts';
import { applyFacts, identityFormatWarnings, type PlanFacts } from './plan-facts.ts';
import { collectionTarget, describeEdge, planSteps } from './plan-steps.ts';

const MASKS = new Set([
  'null',
  'fixed_value',
  'random',
  'hash',
  'pseudonymise',
  'hmac',
  'deterministic_encryption',
  'generalise',
]);

/**
 * Art. 17: for every collection the subject has rows in, whether rows are deleted, masked or kept
 * under a legal hold (Art. 17(3)), and the order of statements that the foreign keys allow.
 * Pure: reads the data map only. Row-level facts (a hold that has lapsed, a row still referenced by
 * someone else's row) are decided when it runs.
 */
export function planErasure(
  declared: DataMap,
  identities: RequestIdentities,
  scope: ErasureScope = {},
  facts?: PlanFacts,
): DsrPlan {
  const { dataMap, errors, warnings, sources } = applyFacts(declared, facts);
  const planIdentities = normaliseIdentities(dataMap, identities);
  const { systems, unreached, notes } = planSteps(dataMap, planIdentities);
  for (const systemPlan of systems) {
    const system = dataMap.systems.find((s) => s.id === systemPlan.system)!;
    const edges = dataMap.edges.filter((e) => e.holder.system === system.id && e.target.system === system.id);
    const problems = { errors, warnings };
    const collections = systemPlan.steps.map((step) =>
      step.about
        ? mentionPlan(system, step, step.about, edges, problems)
        : scope.fields
          ? scopedCollectionPlan(system, step, systemPlan, edges, errors, scope.fields)
          : collectionPlan(system, step, systemPlan, edges, problems),
    );
    markCascades(systemPlan, collections, edges, notes);
    const operations = orderDeletions(system, systemPlan.steps, collections, edges, errors, notes);
    systemPlan.erasure = { collections, operations };
    warnings.push(...unknownNullability(system.id, collections));
  }
  warnings.push(...identityFormatWarnings(dataMap, systems, planIdentities, facts?.phoneSamples));
  return {
    version: 1,
    kind: 'erasure',
    tenant: dataMap.tenant,
    identities: planIdentities,
    systems,
    unreached,
    errors,
    warnings,
    notes,
    facts: sources,
    ...(scope.fields ? { scope: { fields: scope.fields } } : {}),
  };
}

/**
 * Rows that name the subject as another person (`otherSubject`): the row stays (it is someone
 * else's), and only the fields of that role are masked, each by its own strategy, or NULL when the
 * column is known to be nullable. A field with neither stays and is reported.
 */
function mentionPlan(
  system: DataMapSystem,
  step: PlanStep,
  about: NonNullable<PlanStep['about']>,
  edges: ReferenceEdge[],
  problems: Problems,
): CollectionErasurePlan {
  const collection = system.collections.find((c) => c.name === step.collection)!;
  const masks: FieldMask[] = [];
  const unmasked: string[] = [];
  for (const name of about.fields) {
    const field = collection.fields.find((f) => f.name === name)!;
    const strategy: ErasureStrategy | undefined =
      field.erasure ?? (field.nullable === true ? { strategy: 'null' } : undefined);
    if (!strategy || !MASKS.has(strategy.strategy)) {
      unmasked.push(name);
      continue;
    }
    const mask = maskOf(system, collection, field, strategy, problems, edges);
    if (mask) masks.push(mask);
  }
  if (unmasked.length)
    problems.warnings.push({
      code: 'erasure.other_subject_unmasked',
      message: `${collection.name}.${unmasked.join(', ')} describe${unmasked.length === 1 ? 's' : ''} the ${about.role} but ${unmasked.length === 1 ? 'has' : 'have'} no masking strategy (and ${unmasked.length === 1 ? 'is' : 'are'} not known to be nullable): ${unmasked.length === 1 ? 'it stays' : 'they stay'} when that person is erased. Declare an erasure strategy for ${unmasked.length === 1 ? 'it' : 'them'}.`,
      system: system.id,
      collection: collection.name,
    });
  const plan: CollectionErasurePlan = {
    step: step.id,
    action: masks.length ? 'mask' : 'none',
    masks,
    fieldHolds: [],
    inbound: [],
  };
  if (!masks.length) plan.reason = `no field of the ${about.role} has a masking strategy: left as is`;
  const pseudonymised = masks.filter((m) => m.strategy.strategy === 'pseudonymise').map((m) => m.field);
  if (pseudonymised.length) plan.pseudonymised = pseudonymised;
  return plan;
}

interface Problems {
  errors: PlanProblem[];
  warnings: PlanProblem[];
}

/** References whose nullability nobody stated, where it decides whether a row can go. */
function unknownNullability(systemId: string, collections: CollectionErasurePlan[]): PlanProblem[] {
  const unknown = new Map<string, PlanProblem>();
  for (const plan of collections) {
    if (plan.action !== 'delete' && plan.action !== 'keep') continue;
    for (const reference of plan.inbound) {
      if (
        reference.nullable !== undefined ||
        reference.onDelete === 'cascade' ||
        reference.onDelete === 'set_null'
      )
        continue;
      unknown.set(reference.via, {
        code: 'erasure.nullability_unknown',
        message: `Whether ${reference.via} may be NULL is unknown (the data map does not say and the catalog was not read): it is treated as NOT NULL, so a row it points at is kept rather than unlinked.`,
        system: systemId,
        collection: reference.holder.name,
      });
    }
  }
  return [...unknown.values()];
}

function collectionPlan(
  system: DataMapSystem,
  step: PlanStep,
  systemPlan: SystemPlan,
  edges: ReferenceEdge[],
  problems: Problems,
): CollectionErasurePlan {
  const collection = system.collections.find((c) => c.name === step.collection)!;
  const whole = collection.erasure;
  const action: ErasureAction =
    whole?.strategy === 'delete_row' ? 'delete' : whole?.strategy === 'keep' ? 'keep' : 'mask';
  const masks = masksOf(system, collection, action, edges, problems);
  const fieldHolds = collection.fields.flatMap((field) =>
    field.erasure?.strategy === 'keep'
      ? [
          {
            field: field.name,
            ground: field.erasure.ground,
            article: field.erasure.article,
            period: field.erasure.period,
            anchor: field.erasure.anchor,
            reason: field.erasure.reason,
          },
        ]
      : [],
  );
  const plan: CollectionErasurePlan = {
    step: step.id,
    action: action === 'mask' && !masks.length ? 'none' : action,
    masks,
    fieldHolds,
    inbound: inboundReferences(system, collection, systemPlan, edges),
  };
  if (whole?.strategy === 'keep') {
    plan.hold = {
      ground: whole.ground,
      article: whole.article,
      period: whole.period,
      anchor: whole.anchor,
      reason: whole.reason,
    };
  }
  if (plan.action === 'none')
    plan.reason = 'the data map declares no erasure strategy for its fields: left as is';
  const pseudonymised = masks.filter((m) => m.strategy.strategy === 'pseudonymise').map((m) => m.field);
  if (pseudonymised.length) plan.pseudonymised = pseudonymised;
  return plan;
}

/** What a request may erase; absent: everything the data map allows. */
export interface ErasureScope {
  /**
   * Only these fields are erased, by their masking strategy, on the subject's rows; no row is
   * deleted and every other field and collection stays as it is (a withdrawn consent's data,
   * GDPR Art. 17(1)(b)). A field without a masking strategy is a plan error; one under a legal
   * hold is kept.
   */
  fields?: FieldAddress[];
}

function scopedCollectionPlan(
  system: DataMapSystem,
  step: PlanStep,
  systemPlan: SystemPlan,
  edges: ReferenceEdge[],
  errors: PlanProblem[],
  fields: FieldAddress[],
): CollectionErasurePlan {
  const collection = system.collections.find((c) => c.name === step.collection)!;
  const plan: CollectionErasurePlan = {
    step: step.id,
    action: 'none',
    masks: [],
    fieldHolds: [],
    inbound: inboundReferences(system, collection, systemPlan, edges),
  };
  // The row stays, so its keys stay: once the other fields are masked they identify a row, not a person.
  const keys = new Set([
    ...collection.primaryKey,
    ...edges
      .filter((e) => e.foreignKey && e.holder.collection === collection.name)
      .flatMap((e) => e.fields.map((f) => f.holder)),
  ]);
  const inScope = fields
    .filter((f) => f.system === system.id && f.collection === collection.name)
    .map((f) => f.field);
  const named = new Set(inScope.filter((field) => !keys.has(field)));
  if (named.size === 0)
    return {
      ...plan,
      reason: inScope.length
        ? 'only key columns in scope: the row stays, so they stay'
        : "outside the request's scope: left as is",
    };
  const masks = masksOf(system, collection, 'mask', edges, { errors, warnings: [] }, named);
  for (const name of named) {
    const field = collection.fields.find((f) => f.name === name);
    const strategy = field && effectiveErasure(collection, field);
    // A masking strategy: masked above, or refused there with the reason (primary or foreign key).
    if (strategy && MASKS.has(strategy.strategy)) continue;
    if (strategy?.strategy === 'keep') {
      plan.fieldHolds.push({
        field: name,
        ground: strategy.ground,
        article: strategy.article,
        period: strategy.period,
        anchor: strategy.anchor,
        reason: strategy.reason,
      });
      continue;
    }
    errors.push({
      code: 'erasure.scoped_field_unmaskable',
      message: field
        ? `${collection.name}.${name} is in the request's scope but has no masking strategy (null, fixed_value, random, hmac, generalise…), and the rest of its row must stay. Declare one for the field in the data map.`
        : `${collection.name}.${name} is in the request's scope but not in the data map.`,
      system: system.id,
      collection: collection.name,
    });
  }
  return masks.length
    ? { ...plan, action: 'mask', masks }
    : { ...plan, reason: 'the fields in scope are kept under a legal hold' };
}

function masksOf(
  system: DataMapSystem,
  collection: DataMapCollection,
  action: ErasureAction,
  edges: ReferenceEdge[],
  problems: Problems,
  only?: Set<string>,
): FieldMask[] {
  const masks: FieldMask[] = [];
  for (const field of collection.fields) {
    if (only && !only.has(field.name)) continue;
    // Another person's data in the subject's row is not the subject's to erase (it goes only with a deleted row).
    if (field.otherSubject) continue;
    // A kept or deleted row masks only fields with their own strategy; a masked row uses the collection default too.
    const strategy = action === 'mask' ? effectiveErasure(collection, field) : field.erasure;
    if (!strategy || !MASKS.has(strategy.strategy)) continue;
    const mask = maskOf(system, collection, field, strategy, problems, edges);
    if (mask) masks.push(mask);
  }
  return masks;
}

/** One field's mask, or undefined with the reason in `problems` when the strategy cannot be applied. */
function maskOf(
  system: DataMapSystem,
  collection: DataMapCollection,
  field: DataMapField,
  strategy: ErasureStrategy,
  problems: Problems,
  edges: ReferenceEdge[] = [],
): FieldMask | undefined {
  const problem = (code: string, message: string) =>
    problems.errors.push({ code, message, system: system.id, collection: collection.name });
  const where = `${collection.name}.${field.name}`;
  if (collection.primaryKey.includes(field.name)) {
    problem(
      'erasure.mask_primary_key',
      `${where} is part of the primary key and cannot be masked; use delete_row for the collection or keep for the field.`,
    );
    return undefined;
  }
  const isForeignKey = edges.some(
    (e) =>
      e.holder.collection === collection.name &&
      e.foreignKey &&
      e.fields.some((f) => f.holder === field.name),
  );
  if (isForeignKey && strategy.strategy !== 'null') {
    problem(
      'erasure.mask_foreign_key',
      `${where} holds a foreign key; only the null strategy keeps it valid.`,
    );
    return undefined;
  }
  if (strategy.strategy === 'hash') {
    problem(
      'erasure.unkeyed_hash',
      `${where}: hash is an unkeyed digest, which anyone who can guess the value recomputes (pseudonymisation, GDPR Recital 26), not erasure. Use hmac with a Steward secret (secret:NAME), null, fixed_value, random or generalise.`,
    );
    return undefined;
  }
  if (strategy.strategy === 'null' && field.nullable === false) {
    problem(
      'erasure.null_on_not_null',
      `${where} is NOT NULL in the database, so the null strategy cannot be applied; use fixed_value, random or hmac, or delete_row for the collection.`,
    );
    return undefined;
  }
  if (field.unique && (strategy.strategy === 'fixed_value' || strategy.strategy === 'generalise')) {
    problem(
      'erasure.mask_unique',
      `${where} has a unique index, and ${strategy.strategy} gives every masked row the same value${strategy.strategy === 'generalise' ? ' (or nearly)' : ''}: the second erasure would violate it. Use hmac, random or null.`,
    );
    return undefined;
  }
  if (strategy.strategy === 'pseudonymise')
    problems.warnings.push({
      code: 'erasure.pseudonymised',
      message: `${where} is pseudonymised (an unkeyed digest), not erased: the value stays personal data (GDPR Recital 26), so the erasure is reported as partially completed.`,
      system: system.id,
      collection: collection.name,
    });
  const mask: FieldMask = { field: field.name, strategy: strategy as FieldMask['strategy'] };
  if (field.type?.length && (field.type.family === 'text' || field.type.family === 'binary'))
    mask.maxLength = field.type.length;
  if (field.type?.family) mask.family = field.type.family;
  return mask;
}

function inboundReferences(
  system: DataMapSystem,
  collection: DataMapCollection,
  systemPlan: SystemPlan,
  edges: ReferenceEdge[],
): InboundReference[] {
  return edges
    .filter((edge) => edge.foreignKey && edge.target.collection === collection.name)
    .map((edge) => {
      const holder = system.collections.find((c) => c.name === edge.holder.collection)!;
      const holderStep = collectionKey(edge.holder);
      const reference: InboundReference = {
        holder: collectionTarget(system, holder),
        holderColumns: edge.fields.map((f) => f.holder),
        columns: edge.fields.map((f) => f.target),
        onDelete: edge.foreignKey!.onDelete,
        via: describeEdge(edge),
      };
      if (edge.foreignKey!.nullable !== undefined) reference.nullable = edge.foreignKey!.nullable;
      if (edge.undeclared) reference.undeclared = true;
      if (systemPlan.steps.some((s) => s.id === holderStep)) reference.holderStep = holderStep;
      return reference;
    });
}

/**
 * A deleted collection reached only through ON DELETE CASCADE references from a deleted parent is
 * removed by the database with its parent: no statement of its own for those rows.
 */
function markCascades(
  systemPlan: SystemPlan,
  collections: CollectionErasurePlan[],
  edges: ReferenceEdge[],
  notes: PlanProblem[],
): void {
  const byStep = new Map(collections.map((c) => [c.step, c]));
  for (const step of systemPlan.steps) {
    const plan = byStep.get(step.id)!;
    if (plan.action !== 'delete' || plan.fieldHolds.length) continue;
    const [source, ...others] = step.sources;
    if (!source || others.length || source.kind !== 'reference') continue;
    const parent = byStep.get(source.parent);
    if (!parent || (parent.action !== 'delete' && parent.action !== 'keep')) continue;
    const cascade = edges.find(
      (e) =>
        e.foreignKey?.onDelete === 'cascade' &&
        e.holder.collection === step.collection &&
        collectionKey(e.target) === source.parent &&
        e.fields.every((f, i) => f.holder === source.columns[i] && f.target === source.parentColumns[i]),
    );
    if (!cascade) continue;
    plan.removedByCascade = { parent: source.parent, via: source.via };
    notes.push({
      code: 'erasure.cascade',
      message: `${step.collection} rows go with their ${parent.step.split('.').pop()} row through ON DELETE CASCADE (${source.via}).`,
      system: systemPlan.system,
      collection: step.collection,
    });
  }
}
