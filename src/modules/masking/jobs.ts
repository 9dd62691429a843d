import { defineJob, type JobDefinition } from '../../kernel/jobs/job-definition.ts';
import { MASKING_QUEUES, type MaskingRunPayload } from './core/masking-queues.ts';
import { maskingDepsFrom, type MaskingServices } from './masking-services.ts';
import { findStalledMaskingRuns } from './store/masking-run-store.ts';
import { executeMaskingRun } from './use-cases/masking-engine.ts';

/**
 * A copy may run for hours; whether its process lives is told by the run's lease (renewed every
 * 15 s), not by the job timeout. A worker that dies leaves an expired lease; the resume tick
 * enqueues the run again and it continues from its last finished table.
 */
const runCopy = defineJob<MaskingRunPayload, MaskingServices>({
  queue: MASKING_QUEUES.run,
  retryLimit: 3,
  retryDelaySeconds: 30,
  timeoutSeconds: 12 * 3600,
  heartbeatSeconds: 60,
  async handle(payload, context) {
    const outcome = await executeMaskingRun(
      maskingDepsFrom(context.services),
      payload.tenantId,
      payload.runId,
      {
        owner: `${context.worker}/${context.jobId}`,
        signal: context.signal,
      },
    );
    return outcome.kind === 'finished'
      ? { state: outcome.report.state, rowsCopied: outcome.report.rowsCopied }
      : { outcome: outcome.kind };
  },
});

const resumeStalled = defineJob<object, MaskingServices>({
  queue: MASKING_QUEUES.resume,
  schedule: { cron: '* * * * *' },
  retryLimit: 0,
  timeoutSeconds: 60,
  async handle(_payload, context) {
    const stalled = await findStalledMaskingRuns(maskingDepsFrom(context.services).db);
    for (const run of stalled) {
      // One resume per expired lease, however many workers tick at this minute.
      await context.services.jobs.enqueue(
        MASKING_QUEUES.run,
        { tenantId: run.tenantId, runId: run.runId },
        { idempotencyKey: `${run.runId}:${run.leaseUntil.toISOString()}` },
      );
    }
    return { resumed: stalled.length };
  },
});

export const maskingJobs: JobDefinition[] = [runCopy, resumeStalled];
