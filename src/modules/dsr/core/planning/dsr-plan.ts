import type { FieldMask } from '../../../../platform/erasure/field-mask.ts';
import type { CollectionTarget, RowPredicate } from '../../../../platform/connectors/connector.ts';
import type {
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
  /**
   * What the operator must know because it changes what runs or what can be found: where the data
   * map and the live database disagree (the database wins), identities that can never match a
   * column's stored format, fields left out. Absent in plans stored before warnings existed.
   */
  warnings?: PlanProblem[];
  /** Facts worth showing: references not followed, cascades relied on, cycles broken. */
  notes: PlanProblem[];
  /** Where each system's keys, nullability and foreign keys came from. */
  facts?: { system: string; source: 'database catalog' | 'data map'; reason?: string }[];
  /** Erasure limited to some fields (a withdrawn consent's data): the rows stay, only those fields go. */
  scope?: { fields: { system: string; collection: string; field: string }[] };
}

export type DsrPlanKind = 'access' | 'erasure' | 'rectification';

export interface PlanIdentity {
  name: string;
  match: IdentityMatch;
  /** e164: the country of numbers stored without a country code (their national form is matched too). */
  region?: string;
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
  /** Rectification plans only: fields reached but not changed, with the reason. */
  skipped?: RectificationSkip[];
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
  /**
   * Set on a step of rows where the subject appears as another person (a gift's recipient, a
   * referee): only these fields concern them; the rest of the row is someone else's.
   */
  about?: { role: string; fields: string[] };
  /** Fields of the subject's rows that describe another person: never read, shown or changed for this subject (GDPR Art. 15(4)). */
  withheld?: { field: string; role: string }[];
  /** No field of the collection is personal data (no categories): its rows matter only as links. */
  impersonal?: boolean;
  /** The primary key itself is personal data (an e-mail as key): reports count its rows, never list them. */
  personalKey?: boolean;
  /** The statement as the system receives it, with placeholders (first page; `…` for values from a parent step). */
  statement: string;
  /** Filled by `estimatePlanRows` (a count against the live system), absent in a pure plan. */
  estimatedRows?: number;
  /** Rectification plans, filled by `estimatePlanRows`: primary keys of the rows a change goes into (the first 20). */
  estimatedKeys?: Record<string, unknown>[];
}

export type StepSource =
  | {
      kind: 'identity';
      identity: string;
      column: string;
      lowercase: boolean;
      /** Compared as a phone number: the column normalised to digits and `+` (see `normalisePhoneText`). */
      phone?: boolean;
      /** The column holds only integers or UUIDs: other values can never match and are not sent. */
      accepts?: 'integer' | 'uuid';
    }
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
  /** Masked fields whose strategy only pseudonymises (`pseudonymise`): the rows stay personal data. */
  pseudonymised?: string[];
  /** Why a step does nothing (no strategy), for the report. */
  reason?: string;
}

export type { FieldMask };

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
  /** Undefined when neither the catalog nor the data map says: then it is never set to NULL. */
  nullable?: boolean;
  via: string;
  /** Not declared in the data map (found in the catalog): its rows are never the subject's. */
  undeclared?: boolean;
}

export type ErasureOperation =
  | { kind: 'mask'; step: string; statement: string }
  /**
   * Just before the rows of `step` are deleted: a nullable restricting reference to them is set to
   * NULL on the rows that still point at them (what ON DELETE SET NULL would do). The subject's own
   * rows found through that reference are dealt with before it is cut: they are deleted earlier
   * (children first) or were masked first.
   */
  | { kind: 'detach'; step: string; holder: string; columns: string[]; via: string; statement: string }
  | { kind: 'delete'; step: string; statement: string };

// ---------------------------------------------------------------- rectification

/** One correction as the request states it: a field by data category, identity or address. */
export interface Correction {
  /** `category: user.name.first`, `identity: email`, or one field. */
  target: { category: string } | { identity: string } | { system: string; collection: string; field: string };
  value: string | number | boolean | null;
  /**
   * Which of the subject's rows take the value where a collection has several (two addresses):
   * `all`, or the rows by primary key. Without it a collection with more than one of the
   * subject's rows is refused: one value is not silently written into several rows.
   */
  rows?: 'all' | RowSelector[];
}

/** One row of a collection by its primary key, e.g. `{ collection: 'addresses', key: { id: 100 } }`. */
export interface RowSelector {
  system?: string;
  collection: string;
  key: Record<string, string | number>;
}

export interface RectificationStep {
  step: string;
  /** New values of plain columns. */
  set: Record<string, string | number | boolean | null>;
  /** New values inside JSON columns: column → dotted path → value. */
  paths?: Record<string, Record<string, string | number | boolean | null>>;
  /** Rows to change when the request names them (by primary key); absent: every row of the subject here (checked to be one, unless `all`). */
  rows?: 'all' | Record<string, string | number>[];
  statement: string;
}

/** A field a correction reaches but that is not changed, and why (it does not stop the others). */
export interface RectificationSkip {
  system: string;
  collection: string;
  field: string;
  reason: string;
}

/** The predicate of a step's own identity sources with the plan's values (roots only). */
export type IdentityPredicate = RowPredicate;
