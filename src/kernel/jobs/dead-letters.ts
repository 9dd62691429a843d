import { DEAD_LETTER_QUEUE, type JobEngine } from './job-engine.ts';

/** A job that failed on every attempt, as an operator sees it in `steward jobs dead-letters`. */
export interface DeadLetter {
  /** The dead-letter copy's id (what `redrive` moves). */
  id: string;
  queue: string;
  /** The id the job had on its own queue, as logged while it ran. */
  jobId: string;
  attempts: number;
  failedAt: string;
  /** The last error's message (the handler's words; never the payload). */
  error: string;
}

/** The newest dead letters first, optionally of one source queue. */
export async function listDeadLetters(
  jobs: JobEngine,
  options: { queue?: string; limit: number },
): Promise<DeadLetter[]> {
  const found = await jobs.boss.findJobs<object>(DEAD_LETTER_QUEUE, { limit: 10_000 });
  return found
    .filter((job) => !options.queue || job.sourceName === options.queue)
    .sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime())
    .slice(0, options.limit)
    .map((job) => ({
      id: job.id,
      queue: job.sourceName ?? '(unknown)',
      jobId: job.sourceId ?? '(unknown)',
      attempts: (job.sourceRetryCount ?? 0) + 1,
      failedAt: job.createdOn.toISOString(),
      error: errorMessageOf(job.sourceOutput),
    }));
}

/**
 * Moves dead letters back to the queues they came from, as new jobs with fresh retries, after the
 * cause was fixed. Returns how many were moved.
 */
export async function redriveDeadLetters(jobs: JobEngine, options: { queue?: string } = {}): Promise<number> {
  return jobs.boss.redrive(DEAD_LETTER_QUEUE, options.queue ? { sourceName: options.queue } : {});
}

function errorMessageOf(output: object | null): string {
  const value = (output as { value?: { message?: unknown }; message?: unknown } | null) ?? {};
  const message = value.value?.message ?? value.message;
  return typeof message === 'string' ? message : '(no error message)';
}
