import type { Row } from '../../../../platform/connectors/connector.ts';

/** One page of the subject's rows of one collection, as the access executor streams them. */
export interface AccessPage {
  system: string;
  collection: string;
  rows: Row[];
}

export interface AccessOptions {
  /** Rows per page (and per statement); default 1000. */
  pageSize?: number;
  /** Stops between pages when aborted (job timeout, shutdown). */
  signal?: AbortSignal;
}

export interface ErasureOptions {
  /** List exactly what would change, change nothing. */
  dryRun?: boolean;
  /** Resolves the key references of hmac / deterministic_encryption masks (`secret:` needs Steward's store). */
  resolveKey?: (reference: string) => Promise<string>;
  /** The moment legal-hold periods are measured against; default now. */
  now?: Date;
  /** Stops between pages while reading, and rolls the system's transaction back if aborted before it commits. */
  signal?: AbortSignal;
}

/** What an erasure did (or, dry, would do) in one system: the Art. 17 answer per collection. */
export interface ErasureReport {
  system: string;
  dryRun: boolean;
  collections: CollectionErasureReport[];
  /** What reading the system again after the commit found (absent on dry runs). */
  verification?: ErasureVerification;
}

/** The outcome as re-read from the system, not as planned. */
export interface ErasureVerification {
  /** Rows checked: found again by the access query, or looked up by key after being deleted or masked. */
  rechecked: number;
  /** The subject's rows still there that no declared legal hold keeps: the erasure is not complete. */
  survivors: SurvivingRows[];
}

export interface SurvivingRows {
  collection: string;
  /** Rows naming the subject as another person (the role). */
  about?: string;
  count: number;
  reason: string;
  /** Primary keys of (the first 50 of) these rows; absent without a key or when the key is personal data. */
  keys?: Record<string, unknown>[];
}

export interface CollectionErasureReport {
  collection: string;
  /** Rows that name the subject as another person (a gift's recipient): only this role's fields are erased. */
  about?: string;
  /** Fields only pseudonymised (unkeyed digest): still personal data, so the erasure is not complete. */
  pseudonymised?: string[];
  /** Rows removed by Steward's DELETE statements. */
  rowsDeleted: number;
  /** Rows the database removed itself through ON DELETE CASCADE from a deleted parent. */
  rowsDeletedByCascade: number;
  /** Per field: rows whose value was replaced. */
  fieldsMasked: Record<string, number>;
  /** Rows that stay, grouped by why. */
  rowsKept: KeptRows[];
  /** Dry run only: the exact rows and fields that would change. */
  changes?: {
    /** Primary-key values (all columns read, for a table without a primary key). */
    deleted: Row[];
    masked: { row: Row; fields: string[] }[];
  };
}

export interface KeptRows {
  count: number;
  /** Art. 17(3) ground and article for legal holds. */
  ground?: string;
  article?: string;
  /** The latest date a hold in this group ends (ISO date); absent for indefinite holds and other reasons. */
  until?: string;
  /** The fields kept, when the hold is on fields rather than the row. */
  fields?: string[];
  reason: string;
}

export interface RectificationReport {
  system: string;
  /** What was changed, per collection (and JSON paths as `column.path`). */
  collections: { collection: string; about?: string; rowsUpdated: number; fields: string[] }[];
  /** What a correction reached but was not changed, and why; the rest was applied regardless. */
  notChanged: { collection: string; fields: string[]; reason: string }[];
}
