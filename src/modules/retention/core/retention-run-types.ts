/**
 * Retention runs as plain serialisable data (STYLE.md §3): stored, returned by the API, printed by
 * the CLI and compared by tests. Counts, keys' positions and rule descriptions only.
 */

/** `awaiting_approval` → `queued` (approved) or `rejected`; `queued` → `running` → the end states. */
export type RunState =
  'awaiting_approval' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'rejected';
export type RunTrigger = 'manual' | 'schedule' | 'catch_up' | 'flow';

/** A collection to sweep. */
export interface RunTarget {
  system: string;
  collection: string;
}

/** Pacing of one run, fixed at creation. */
export interface SweepSettings {
  batchSize: number;
  pauseMs: number;
  /** Systems swept at the same time (collections of one system go one after another). */
  concurrency: number;
}

/** What happened to one collection. */
export interface CollectionReport {
  system: string;
  collection: string;
  /** `delete 3y since last_login_at where status = inactive`. */
  rule: string;
  action: 'delete' | 'anonymise';
  cutoff: string;
  /** Rows the rule selected when the collection's sweep started. */
  rowsSelected: number;
  rowsDeleted: number;
  rowsAnonymised: number;
  /** Rows due but kept: still referenced by rows that stay, or under a legal hold that has not ended. */
  rowsKept: number;
  keptReasons: Record<string, number>;
  /** Rows of child collections the database removed with them (ON DELETE CASCADE), counted before each batch. */
  rowsCascaded: Record<string, number>;
  batches: number;
  /** A batch interrupted by a crash whose commit was recovered from its keys. */
  recoveredBatches: number;
  durationMs: number;
  errors: string[];
  /** Dry runs: rows the rule selects that a legal hold still keeps, and a few primary keys of due rows. */
  rowsHeld?: number;
  sample?: unknown[][];
  notes?: string[];
}

/**
 * A batch whose outcome a crash may have hidden: the keys it selected (collections with a primary
 * key), or the anchor range and how many due rows it held (collections without one).
 */
export type PendingBatch = { keys: unknown[][] } | { range: [unknown, unknown]; selected: number };

/** Who did something, as the audit log names them (an id, never a name or e-mail). */
export interface RunActor {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  id: string;
}

/**
 * Why a real run waits for a second person (auth.separationOfDuties.retentionRunRowsAbove) and what
 * they decided. The run keeps the reference time it was requested with, so what is approved is
 * what was counted: rows that fall due later are left to the next run.
 */
export interface RunApproval {
  /** Rows due under the run's rules when it was requested (the dry run's count). */
  rowsDue: number;
  /** The tenant's threshold then: more rows due than this need approval. */
  rowsAbove: number;
  requestedBy: RunActor;
  decision: {
    outcome: 'approved' | 'rejected';
    by: RunActor;
    at: string;
    reason: string | null;
  } | null;
}

/** The stored and returned view of a run. */
export interface RunReport {
  id: string;
  tenantId: string;
  flowRunId: string | null;
  trigger: RunTrigger;
  dryRun: boolean;
  state: RunState;
  referenceTime: string;
  rowsEstimated: number;
  rowsDone: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  cancelRequested: boolean;
  error: string | null;
  /** Set when the run had to wait for a second person. */
  approval: RunApproval | null;
  collections: (CollectionReport & { state: string })[];
}

export function emptyCollectionReport(
  target: RunTarget,
  rule: string,
  action: 'delete' | 'anonymise',
  cutoff: Date,
): CollectionReport {
  return {
    ...target,
    rule,
    action,
    cutoff: cutoff.toISOString(),
    rowsSelected: 0,
    rowsDeleted: 0,
    rowsAnonymised: 0,
    rowsKept: 0,
    keptReasons: {},
    rowsCascaded: {},
    batches: 0,
    recoveredBatches: 0,
    durationMs: 0,
    errors: [],
  };
}
