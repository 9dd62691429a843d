import type { Logger } from '../logging/logger.ts';

/** What a job handler gets besides its payload; `Services` is what its module declares it uses. */
export interface JobContext<Services = unknown> {
  jobId: string;
  /** 0 on the first attempt. Handlers must be safe to run again after a crash mid-way. */
  attempt: number;
  /** Aborted when the job times out or the worker shuts down; long handlers should check it. */
  signal: AbortSignal;
  logger: Logger;
  /** The worker instance running the job (`worker@host:pid`), for diagnostics; never in business data. */
  worker: string;
  /** The same services the module's routes get: database, job engine, config and long-lived objects. */
  services: Services;
}

/**
 * One kind of background work: a queue, its retry and timeout policy, an optional cron schedule
 * and the handler. Modules declare these next to the logic they run and list them in their manifest.
 */
export interface JobDefinition<Payload extends object = object, Services = unknown> {
  /** Letters, digits, `_`, `-`, `.` and `/` only, e.g. `dsr.execute` (pg-boss's rule for names). */
  queue: string;
  handle(payload: Payload, context: JobContext<Services>): Promise<object | void>;
  /** Attempts after the first failure; defaults to 3. A job that exhausts them goes to the dead-letter queue. */
  retryLimit?: number;
  /** Seconds before the first retry; doubles with each attempt (with jitter). Defaults to 5, at least 1. */
  retryDelaySeconds?: number;
  retryDelayMaxSeconds?: number;
  /** A job running longer than this has its signal aborted and is failed (and retried). Defaults to 15 minutes. */
  timeoutSeconds?: number;
  /**
   * For long jobs: the worker running the job marks it alive every third of this, and a job not
   * marked for this long is failed and retried (after the retry delay) — so the job of a worker
   * that was killed or lost its database is taken over within about twice this, not after
   * `timeoutSeconds`. A live job whose claim was taken away has its signal aborted. An integer of
   * at least 10 (pg-boss's minimum); without it only `timeoutSeconds` ends a lost job.
   */
  heartbeatSeconds?: number;
  /** Completed jobs are kept this long for inspection (Steward's own retention). Defaults to 7 days. */
  keepCompletedSeconds?: number;
  /** A recurring job; `timezone` is an IANA name (defaults to UTC) so "03:00" means local 03:00 across DST. */
  schedule?: { cron: string; timezone?: string; payload?: Payload };
}

/**
 * Erases the payload and services types so definitions fit in one list. The app hands every handler
 * its full services object, which has whatever any module's `Services` names.
 */
export function defineJob<Payload extends object, Services = unknown>(
  definition: JobDefinition<Payload, Services>,
): JobDefinition {
  return definition as unknown as JobDefinition;
}
