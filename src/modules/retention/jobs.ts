import { defineJob, type JobDefinition } from '../../kernel/jobs/job-definition.ts';
import { executeRun } from './use-cases/execute-run.ts';
import { executeFlowRun } from './use-cases/flows/execute-flow-run.ts';
import { tickScheduler } from './use-cases/flows/flow-scheduler.ts';
import { RETENTION_QUEUES, type FlowRunPayload, type RunPayload } from './core/retention-queues.ts';
import type { RetentionServices } from './retention-services.ts';

/**
 * A sweep may run for hours; whether its process is alive is told by the run's own claim, renewed
 * after every batch, not by the job timeout. A worker that dies leaves an expired claim and the
 * scheduler enqueues a resume; pg-boss's own retry is a second chance, once the job's heartbeat
 * has lapsed (about two minutes after the worker died) rather than after the long timeout.
 */
const LONG_RUNNING_SECONDS = 6 * 3600;
const HEARTBEAT_SECONDS = 60;

const runSweep = defineJob<RunPayload, RetentionServices>({
  queue: RETENTION_QUEUES.run,
  retryLimit: 3,
  retryDelaySeconds: 30,
  timeoutSeconds: LONG_RUNNING_SECONDS,
  heartbeatSeconds: HEARTBEAT_SECONDS,
  async handle(payload, context) {
    const outcome = await executeRun(context.services, payload.tenantId, payload.runId, {
      owner: `${context.worker}/${context.jobId}`,
      signal: context.signal,
    });
    return outcome.kind === 'finished'
      ? { state: outcome.report.state, rowsDone: outcome.report.rowsDone }
      : { outcome: outcome.kind };
  },
});

const runFlow = defineJob<FlowRunPayload, RetentionServices>({
  queue: RETENTION_QUEUES.flowRun,
  retryLimit: 3,
  retryDelaySeconds: 30,
  timeoutSeconds: LONG_RUNNING_SECONDS,
  heartbeatSeconds: HEARTBEAT_SECONDS,
  async handle(payload, context) {
    const run = await executeFlowRun(context.services, payload.tenantId, payload.flowRunId, {
      owner: `${context.worker}/${context.jobId}`,
      signal: context.signal,
    });
    return { state: run.state };
  },
});

const scheduler = defineJob<object, RetentionServices>({
  queue: RETENTION_QUEUES.scheduler,
  schedule: { cron: '* * * * *' },
  retryLimit: 0,
  timeoutSeconds: 120,
  async handle(_payload, context) {
    return { ...(await tickScheduler(context.services)) };
  },
});

export const retentionJobs: JobDefinition[] = [runSweep, runFlow, scheduler];
