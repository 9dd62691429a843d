/** Queues of the masking module (payloads carry ids only). */
export const MASKING_QUEUES = {
  /** Executes one run, or resumes it where it stopped. */
  run: 'masking.run',
  /** Every minute: enqueues the runs whose process died (lease expired) so they resume. */
  resume: 'masking.resume',
} as const;

export interface MaskingRunPayload {
  tenantId: string;
  runId: string;
}
