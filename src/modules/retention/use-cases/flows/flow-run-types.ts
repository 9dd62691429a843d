export type FlowRunState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** One task's outcome within a flow run (plain data, stored as JSON). */
export interface FlowTaskResult {
  id: string;
  type: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  /** The retention run a sweep task started. */
  runId?: string;
  /** Counts and summaries only. */
  result?: Record<string, unknown>;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
}
