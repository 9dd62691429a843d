import type { CollectionTarget, RowPredicate } from '../../../../platform/connectors/connector.ts';
import type {
  ColumnFamily,
  ErasureStrategy,
  IdentityMatch,
  KeepStrategy,
  OnDeleteRule,
  SystemKind,
} from '../../../../platform/datamap/datamap-types.ts';

/**
 * A DSR plan: what a request will read or change, computed from the data map and the request's
 * identities without touching any system (STYLE.md §11). Plain serialisable data, so it can be
 * stored with the request, shown by `steward dsr plan` and the API, and compared by value in tests.
 *
 * It holds the request's identity values (normalised) because executing it needs them; everything
 * else is structure. Statements are shown with placeholders, never with values.
 */
export interface DsrPlan {
  version: 1;
  kind: DsrPlanKind;
  tenant: string;
  identities: PlanIdentity[];
  systems: SystemPlan[];
  /** Collections of the data map this request does not reach, and why. */
  unreached: { system: string; collection: string; reason: string }[];
  /** Problems that make (part of) the plan impossible to run; a plan with errors is not executed. */
  errors: PlanProblem[];
  /** Facts worth showing: references not followed, cascades relied on, cycles broken. */
  notes: PlanProblem[];
}

export type DsrPlanKind = 'access' | 'erasure' | 'rectification';

export interface PlanIdentity {
  name: string;
  match: IdentityMatch;
  /** Normalised for `match` (lower-cased for case_insensitive), de-duplicated. */
  values: string[];
}

export interface PlanProblem {
  code: string;
  message: string;
  system?: string;
  collection?: string;
}

export interface SystemPlan {
  system: string;
  kind: SystemKind;
  /** Breadth-first from the identity collections: every parent step comes before its children. */
  steps: PlanStep[];
  /** Erasure plans only: what happens to each step's rows, and the order of statements. */
  erasure?: SystemErasurePlan;
  /** Rectification plans only. */
  rectification?: RectificationStep[];
}

/** How one collection's rows of the subject are found. */
export interface PlanStep {
  /** `system.collection`, unique in the plan. */
  id: string;
  collection: string;
  target: CollectionTarget;
  /** 0 for collections holding an identity; n for collections n references away. */
  depth: number;
  /** A row is the subject's when any source matches it. */
  sources: StepSource[];
  /** Fields of the data map, read for the access package. */
  columns: string[];
  /** The statement as the system receives it, with placeholders (first page; `…` for values from a parent step). */
  statement: string;
  /** Filled by `estimatePlanRows` (a count against the live system), absent in a pure plan. */
  estimatedRows?: number;
}

export type StepSource =
  | { kind: 'identity'; identity: string; column: string; lowercase: boolean }
  | {
      kind: 'reference';
      /** The step whose rows lead here. */
      parent: string;
      /** This collection's columns, matched against `parentColumns` of the parent's rows (pairwise). */
      columns: string[];
      parentColumns: string[];
      /** Human description of the reference, e.g. `orders.customer_id → customers.id`. */
      via: string;
    };

// ---------------------------------------------------------------- erasure

export interface SystemErasurePlan {
  collections: CollectionErasurePlan[];
  /** Statements in execution order: masks, then detaches (cycle breaks), then deletes children first. */
  operations: ErasureOperation[];
}

export type ErasureAction = 'delete' | 'mask' | 'keep' | 'none';

export interface CollectionErasurePlan {
  step: string;
  action: ErasureAction;
  /** Fields masked on rows that stay (action mask, rows under a hold that lapsed for keep-with-mask, rows that cannot be deleted). */
  masks: FieldMask[];
  /** A whole-row legal hold (collection strategy keep); rows past the period are deleted. */
  hold?: PlanHold;
  /** Field-level holds: the field is kept; on a delete step a row with an active hold is kept too. */
  fieldHolds: (PlanHold & { field: string })[];
  /** The DB removes these rows itself when the parent row goes (ON DELETE CASCADE on the reference the step was reached by). */
  removedByCascade?: { parent: string; via: string };
  /** Foreign keys pointing at this collection: rows still referenced by rows that stay cannot be deleted. */
  inbound: InboundReference[];
  /** Why a step does nothing (no strategy), for the report. */
  reason?: string;
}

export interface FieldMask {
  field: string;
  strategy: Exclude<ErasureStrategy, KeepStrategy | { strategy: 'delete_row' }>;
  /** Maximum characters of the column, when bounded (hash output is truncated to it). */
  maxLength?: number;
  /** The column's type family, when the data map knows it (random values fit it). */
  family?: ColumnFamily;
}

export interface PlanHold {
  ground: KeepStrategy['ground'];
  article: string;
  period?: string;
  /** The date field the period runs from; without one the hold is indefinite. */
  anchor?: string;
  reason: string;
}

export interface InboundReference {
  /** The referencing collection; `holderStep` when the subject has rows there too. */
  holder: CollectionTarget;
  holderStep?: string;
  holderColumns: string[];
  /** This collection's columns the holder points at. */
  columns: string[];
  onDelete: OnDeleteRule;
  nullable: boolean;
  via: string;
}

export type ErasureOperation =
  | { kind: 'mask'; step: string; statement: string }
  /** Sets a nullable reference to NULL on the subject's rows, so a cycle can be deleted in order. */
  | { kind: 'detach'; step: string; columns: string[]; via: string; statement: string }
  | { kind: 'delete'; step: string; statement: string };

// ---------------------------------------------------------------- rectification

/** One correction as the request states it: a field by data category, identity or address. */
export interface Correction {
  /** `category: user.name.first`, `identity: email`, or one field. */
  target: { category: string } | { identity: string } | { system: string; collection: string; field: string };
  value: string | number | boolean | null;
}

export interface RectificationStep {
  step: string;
  set: Record<string, string | number | boolean | null>;
  statement: string;
}

/** The predicate of a step's own identity sources with the plan's values (roots only). */
export type IdentityPredicate = RowPredicate;
