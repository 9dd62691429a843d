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
}

export interface CollectionErasureReport {
  collection: string;
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
  collections: { collection: string; rowsUpdated: number; fields: string[] }[];
}
