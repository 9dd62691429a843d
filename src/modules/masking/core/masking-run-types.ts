import type { CardinalityReport } from './cardinality-report.ts';
import type { ColumnProfileSummary } from './column-profile.ts';
import type { LeakCheckResult } from './leak-check.ts';
import type { RuleOverride, RuleProblem } from './masking-rules.ts';
import type { RuleSource } from './masking-rules.ts';
import type { SubsetRequest } from './subset-plan.ts';

export type MaskingRunState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
/** Where a run is: each phase is resumed where it stopped (statements and tables are counted). */
export type MaskingPhase = 'schema' | 'data' | 'constraints' | 'verify' | 'done';

/**
 * Where the copy goes. A database is named by a connection URL or a secret reference to one
 * (`env:STAGING_URL`, `secret:staging-db`); a literal URL must carry no password.
 */
export type MaskingTarget = { kind: 'database'; url: string } | { kind: 'dump'; path: string };

/** Everything a run was asked to do; stored with it so a resumed run does exactly the same. */
export interface MaskingRunOptions {
  /** The Steward secret (reference) holding the masking key. */
  keyReference: string;
  overrides: RuleOverride[];
  subset?: SubsetRequest;
  /** faker locale of names and addresses. */
  locale: string;
  /** ISO 3166-1 alpha-2 for numbers written without a country prefix. */
  defaultCountry: string;
  /** Tables copied at once. */
  concurrency: number;
  /** PostgreSQL schemas to copy (MySQL: the connection's database). */
  schemas: string[];
  /** Source rows sampled per table by the leak check. */
  leakSample: number;
}

export interface TablePlan {
  table: string;
  /** Rows the copy will write: exact for a subset, the database's estimate otherwise. */
  rows: number;
  exact: boolean;
  /** Masked columns: transformer and why. */
  columns: { column: string; transformer: string; source: RuleSource; reason: string }[];
}

/** Decided before any row is copied: shown by `steward mask plan` and stored with the run. */
export interface MaskingPlanSummary {
  tables: TablePlan[];
  totalRows: number;
  subset: boolean;
  warnings: RuleProblem[];
  /** Free-text columns dropped because no PII detector is available. */
  droppedFreeText: string[];
}

export interface TableProgress {
  table: string;
  state: 'pending' | 'copying' | 'done';
  rowsCopied: number;
  profiles: {
    column: string;
    transformer: string;
    source: ColumnProfileSummary;
    copy: ColumnProfileSummary;
  }[];
}

/** The kept, audited result of a run: counts, names and statistics only, never a value. */
export interface MaskingReport {
  runId: string;
  sourceSystem: string;
  target: { kind: MaskingTarget['kind'] };
  state: MaskingRunState;
  phase: MaskingPhase;
  plan?: MaskingPlanSummary;
  tables: { table: string; state: TableProgress['state']; rowsCopied: number; transformers: string[] }[];
  rowsCopied: number;
  constraintsApplied: number;
  cardinality?: CardinalityReport;
  leakCheck?: LeakCheckResult;
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}
