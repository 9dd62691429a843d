/** `awaiting_approval`: a sweep of the flow waits for a second person; approved or rejected, the flow goes on. */
export type FlowRunState = 'awaiting_approval' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** One task's outcome within a flow run (plain data, stored as JSON). */
export interface FlowTaskResult {
  id: string;
  type: string;
  state: 'pending' | 'running' | 'awaiting_approval' | 'done' | 'failed' | 'skipped';
  /** The retention run a sweep task started. */
  runId?: string;
  /** Counts and summaries only. */
  result?: Record<string, unknown>;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
}
