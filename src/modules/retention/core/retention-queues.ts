/** Queues of the retention domain (payloads carry ids only, never personal data). */
export const RETENTION_QUEUES = {
  /** Sweeps one run; resumes it from its last batch when the run was interrupted. */
  run: 'retention.run',
  /** Executes one privacy-flow run, task by task. */
  flowRun: 'retention.flow-run',
  /** Every minute: fires due flow triggers and resumes runs whose process died. */
  scheduler: 'retention.scheduler',
} as const;

export interface RunPayload {
  tenantId: string;
  runId: string;
}

export interface FlowRunPayload {
  tenantId: string;
  flowRunId: string;
}
