import { defineJob, type JobDefinition } from '../../kernel/jobs/job-definition.ts';
import { deleteExpiredPackages } from './use-cases/packages/delete-expired-packages.ts';
import { notifyRequester } from './use-cases/requests/notify-requester.ts';
import {
  DSR_QUEUES,
  STEP_HEARTBEAT_SECONDS,
  type NotifyRequesterPayload,
  type RunStepPayload,
} from './use-cases/requests/request-queues.ts';
import { watchOverRequests } from './use-cases/requests/request-watchdog.ts';
import { runRequestStep } from './use-cases/requests/run-request-step.ts';
import { DSR_STEP_HANDLERS } from './use-cases/requests/step-handlers.ts';
import type { DsrServices } from './dsr-services.ts';

const NOTIFY_RETRY_LIMIT = 5;

/**
 * One step of a request. Retries are the step runner's business (it counts attempts in
 * dsr_request_steps and gives up after dsr.execution.maxStepAttempts), so pg-boss may retry
 * generously. A crashed worker's step is handed on when its heartbeat lapses (the same period the
 * step's own lease uses), not after the timeout, which only bounds a live but hung step.
 */
const runStep = defineJob<RunStepPayload, DsrServices>({
  queue: DSR_QUEUES.runStep,
  retryLimit: 20,
  retryDelaySeconds: 5,
  retryDelayMaxSeconds: 600,
  timeoutSeconds: 960,
  heartbeatSeconds: STEP_HEARTBEAT_SECONDS,
  async handle(payload, context) {
    return { outcome: await runRequestStep(context.services, payload, context.signal, DSR_STEP_HANDLERS) };
  },
});

/** Mails to the requester: codes, acknowledgements, extensions, closing notices with download links. */
const notify = defineJob<NotifyRequesterPayload, DsrServices>({
  queue: DSR_QUEUES.notifyRequester,
  retryLimit: NOTIFY_RETRY_LIMIT,
  retryDelaySeconds: 5,
  retryDelayMaxSeconds: 900,
  timeoutSeconds: 120,
  async handle(payload, context) {
    return notifyRequester(context.services, payload, context.attempt >= NOTIFY_RETRY_LIMIT, context.attempt);
  },
});

const watchdog = defineJob<object, DsrServices>({
  queue: DSR_QUEUES.watchdog,
  schedule: { cron: '*/5 * * * *' },
  retryLimit: 1,
  timeoutSeconds: 600,
  // Handed to another worker a minute after its worker died, rather than after the 10-minute timeout.
  heartbeatSeconds: 30,
  async handle(_payload, context) {
    return { ...(await watchOverRequests(context.services)) };
  },
});

const deletePackages = defineJob<object, DsrServices>({
  queue: DSR_QUEUES.deleteExpiredPackages,
  schedule: { cron: '17 * * * *' },
  retryLimit: 1,
  timeoutSeconds: 600,
  // Handed to another worker a minute after its worker died, rather than after the 10-minute timeout.
  heartbeatSeconds: 30,
  async handle(_payload, context) {
    return deleteExpiredPackages(context.services);
  },
});

export const dsrJobs: JobDefinition[] = [runStep, notify, watchdog, deletePackages];
