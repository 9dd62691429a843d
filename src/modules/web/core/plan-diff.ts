import type { DsrPlan } from '../../dsr/api.ts';

/** What a request will do to one field of a collection. */
export interface FieldChange {
  field: string;
  change: 'read' | 'mask' | 'keep' | 'set';
  /** mask: the strategy (hash, null, redact…); keep: the legal ground's article. */
  detail?: string;
}

/** A legal hold that keeps rows (or a field) the request would otherwise erase: GDPR Art. 17(3). */
export interface HoldView {
  field?: string;
  ground: string;
  article: string;
  period?: string;
  anchor?: string;
  reason: string;
}

export interface CollectionChange {
  collection: string;
  /** How the subject's rows are found: an identity column or a reference from a parent collection. */
  reachedBy: string[];
  depth: number;
  estimatedRows?: number;
  change: 'read' | 'delete' | 'mask' | 'keep' | 'update' | 'none';
  fields: FieldChange[];
  holds: HoldView[];
  removedByCascade?: string;
  note?: string;
}

/**
 * A plan as the console shows it, a diff per collection: what will be read, deleted, masked,
 * updated or kept under which legal hold. No identity value and no new value of a correction
 * appears in it, only names and counts.
 */
export interface PlanDiff {
  kind: DsrPlan['kind'];
  identities: { name: string; values: number }[];
  systems: { system: string; kind: string; collections: CollectionChange[] }[];
  unreached: { system: string; collection: string; reason: string }[];
  notes: string[];
  errors: string[];
}

/** Turns a plan into its diff; pure, so the same plan always reads the same. */
export function planDiffOf(plan: DsrPlan): PlanDiff {
  return {
    kind: plan.kind,
    identities: plan.identities.map((identity) => ({ name: identity.name, values: identity.values.length })),
    systems: plan.systems.map((system) => ({
      system: system.system,
      kind: system.kind,
      collections: system.steps.map((step) => {
        const base = {
          collection: step.collection,
          reachedBy: step.sources.map((source) =>
            source.kind === 'identity'
              ? `${source.identity} = ${source.column}${source.lowercase ? ' (case-insensitive)' : ''}`
              : source.via,
          ),
          depth: step.depth,
          ...(step.estimatedRows === undefined ? {} : { estimatedRows: step.estimatedRows }),
        };
        if (plan.kind === 'access') {
          return {
            ...base,
            change: 'read' as const,
            fields: step.columns.map((field) => ({ field, change: 'read' as const })),
            holds: [],
          };
        }
        if (plan.kind === 'rectification') {
          const set = system.rectification?.find((r) => r.step === step.id)?.set ?? {};
          const fields = Object.keys(set).map((field) => ({ field, change: 'set' as const }));
          return {
            ...base,
            change: fields.length ? ('update' as const) : ('none' as const),
            fields,
            holds: [],
          };
        }
        return { ...base, ...erasureChangeOf(system.erasure?.collections.find((c) => c.step === step.id)) };
      }),
    })),
    unreached: plan.unreached,
    notes: plan.notes.map((note) => note.message),
    errors: plan.errors.map((error) => error.message),
  };
}

type ErasureCollection = NonNullable<DsrPlan['systems'][number]['erasure']>['collections'][number];

function erasureChangeOf(
  collection: ErasureCollection | undefined,
): Pick<CollectionChange, 'change' | 'fields' | 'holds' | 'removedByCascade' | 'note'> {
  if (!collection) return { change: 'none', fields: [], holds: [] };
  const fields: FieldChange[] = [
    ...collection.masks.map((mask) => ({
      field: mask.field,
      change: 'mask' as const,
      detail: mask.strategy.strategy,
    })),
    ...collection.fieldHolds.map((hold) => ({
      field: hold.field,
      change: 'keep' as const,
      detail: hold.article,
    })),
  ];
  const holds: HoldView[] = [
    ...(collection.hold ? [holdView(collection.hold)] : []),
    ...collection.fieldHolds.map((hold) => ({ ...holdView(hold), field: hold.field })),
  ];
  return {
    change: collection.action,
    fields,
    holds,
    ...(collection.removedByCascade ? { removedByCascade: collection.removedByCascade.via } : {}),
    ...(collection.reason ? { note: collection.reason } : {}),
  };
}

function holdView(hold: NonNullable<ErasureCollection['hold']>): HoldView {
  return {
    ground: hold.ground,
    article: hold.article,
    ...(hold.period ? { period: hold.period } : {}),
    ...(hold.anchor ? { anchor: hold.anchor } : {}),
    reason: hold.reason,
  };
}
