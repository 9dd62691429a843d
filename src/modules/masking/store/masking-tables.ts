import type { ColumnType } from 'kysely';
import type { CreatedAt } from '../../../kernel/database/core-tables.ts';
import type { CardinalityReport } from '../core/cardinality-report.ts';
import type { LeakCheckResult } from '../core/leak-check.ts';
import type {
  MaskingPhase,
  MaskingPlanSummary,
  MaskingRunOptions,
  MaskingRunState,
  MaskingTarget,
  TableProgress,
} from '../core/masking-run-types.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

/**
 * One masked copy: what was asked (options, never the key — only its reference and a fingerprint
 * that proves a resumed run uses the same key), where it is (phase, statements applied), who
 * works on it (lease), and its report. Names, counts and statistics only; no value of the source.
 */
export interface MaskingRunsTable {
  id: string;
  tenant_id: string;
  source_system: string;
  target: Json<MaskingTarget>;
  options: Json<MaskingRunOptions>;
  key_fingerprint: string;
  state: MaskingRunState;
  phase: MaskingPhase;
  /** Schema statements applied so far (a resumed run skips them). */
  schema_applied: ColumnType<number, number | undefined, number>;
  constraints_applied: ColumnType<number, number | undefined, number>;
  plan: NullableJson<MaskingPlanSummary>;
  cardinality: NullableJson<CardinalityReport>;
  leak_check: NullableJson<LeakCheckResult>;
  requested_by_kind: string;
  requested_by_id: string;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  cancel_requested_at: NullableTimestamp;
  error: string | null;
  created_at: CreatedAt;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
}

/** Per table of a run: copied or not, rows written, and the column profiles of the cardinality report. */
export interface MaskingRunTablesTable {
  tenant_id: string;
  run_id: string;
  table_id: string;
  seq: number;
  state: TableProgress['state'];
  rows_copied: ColumnType<number, number | undefined, number>;
  profiles: Json<TableProgress['profiles']>;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface MaskingTables {
  masking_runs: MaskingRunsTable;
  masking_run_tables: MaskingRunTablesTable;
}
