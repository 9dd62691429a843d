import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../../kernel/database/core-tables.ts';
import type {
  CollectionReport,
  PendingBatch,
  RunApproval,
  RunState,
  RunTarget,
  RunTrigger,
  SweepSettings,
} from '../core/retention-run-types.ts';
import type { FlowRunState, FlowTaskResult } from '../use-cases/flows/flow-run-types.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

/**
 * One enforcement of retention rules: which collections, the reference time every cut-off is
 * computed from (fixed at creation, so a resumed run selects exactly what it selected before), its
 * state, progress and final report. Holds counts and keys' positions only, never personal values.
 */
export interface RetentionRunsTable {
  id: string;
  tenant_id: string;
  /** The flow run that started it, if any. */
  flow_run_id: string | null;
  trigger: RunTrigger;
  requested_by_kind: string;
  requested_by_id: string;
  dry_run: boolean;
  state: RunState;
  targets: Json<RunTarget[]>;
  settings: Json<SweepSettings>;
  reference_time: Timestamp;
  rows_estimated: Generated<number>;
  rows_done: Generated<number>;
  /** The process sweeping it renews this claim after every batch; an expired claim means it died. */
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  cancel_requested_at: NullableTimestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  error: string | null;
  /** Set when a real run had more rows due than the tenant lets one person remove (four eyes). */
  approval: NullableJson<RunApproval>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Progress of one collection within a run: where the next batch starts and what was done so far. */
export interface RetentionRunCollectionsTable {
  tenant_id: string;
  run_id: string;
  seq: number;
  system: string;
  collection: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  action: 'delete' | 'anonymise';
  /** Rows whose anchor is before this are due. */
  cutoff: Timestamp;
  /** The primary key of the last row of the last committed batch (positions, not personal values). */
  cursor: NullableJson<unknown[]>;
  /**
   * The batch about to be written to the source system. Set before the batch, cleared after it:
   * found set on resume, the batch's outcome is unknown and is recovered from it.
   */
  pending_batch: NullableJson<PendingBatch>;
  report: Json<CollectionReport>;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** One execution of a privacy flow: its tasks' states and results. */
export interface RetentionFlowRunsTable {
  id: string;
  tenant_id: string;
  flow_id: string;
  trigger: RunTrigger;
  /** The fire time of a scheduled run (unique per flow: a fire time runs once). */
  scheduled_for: NullableTimestamp;
  dry_run: boolean;
  state: FlowRunState;
  /** Who asked for it: a person or key, or the flow itself (`system`, `flow:<id>`) for its schedule. */
  requested_by_kind: ColumnType<string | null, string | null | undefined, string | null>;
  requested_by_id: ColumnType<string | null, string | null | undefined, string | null>;
  tasks: Json<FlowTaskResult[]>;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Per flow trigger, the last fire time handled, so missed fire times are known after downtime. */
export interface RetentionSchedulesTable {
  tenant_id: string;
  flow_id: string;
  trigger_key: string;
  last_fired_at: Timestamp;
}

export interface RetentionTables {
  retention_runs: RetentionRunsTable;
  retention_run_collections: RetentionRunCollectionsTable;
  retention_flow_runs: RetentionFlowRunsTable;
  retention_schedules: RetentionSchedulesTable;
}
