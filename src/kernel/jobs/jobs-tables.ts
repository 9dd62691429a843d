import type { ColumnType, Generated } from 'kysely';

/**
 * One execution of a `system.probe` job: which worker instance and process ran it. Rows are
 * deliberately not unique per job, so that a job run twice shows up as two rows.
 */
export interface JobProbesTable {
  id: Generated<number>;
  tenant_id: string;
  run_id: string;
  job_id: string;
  worker: string;
  pid: number;
  ran_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface JobsTables {
  job_probes: JobProbesTable;
}
