import type { ColumnType, Generated } from 'kysely';
import type { Evidence } from '../core/discovery-types.ts';

type Json<T> = ColumnType<T, string, string>;

/** One discovery run over one system: when, how much was sampled, and the counts. */
export interface DiscoveryRunsTable {
  id: string;
  tenant_id: string;
  system: string;
  trigger: 'cli' | 'api' | 'schedule';
  sample_size: number;
  started_at: ColumnType<Date, Date | string, never>;
  duration_ms: number;
  /** Collections, columns and personal columns counted; drift findings by code. */
  summary: Json<DiscoveryRunSummary>;
  created_at: Generated<Date>;
}

export interface DiscoveryRunSummary {
  collections: number;
  columns: number;
  personalColumns: number;
  findings: Record<string, number>;
}

/** What one run concluded about one column (or JSON path, or log field). Categories and counts only. */
export interface DiscoveryColumnsTable {
  tenant_id: string;
  run_id: string;
  collection: string;
  /** The data-map field name: `column`, `column.json.path` or `pii:<type>`. */
  field: string;
  categories: Json<string[]>;
  confidence: number;
  evidence: Json<Evidence[]>;
  sampled: number;
}

/** Discovery's tables; the lead adds them to `Database` in src/app/database.ts. */
export interface DiscoveryTables {
  discovery_runs: DiscoveryRunsTable;
  discovery_columns: DiscoveryColumnsTable;
}
