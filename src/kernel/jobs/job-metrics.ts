import type { PgBoss } from 'pg-boss';
import type { StewardMetrics } from '../metrics/steward-metrics.ts';

export interface JobMetrics {
  /** One job this process ran to its end, with its outcome and how long it took. */
  finished(queue: string, outcome: 'completed' | 'failed', seconds: number): void;
}

const NO_METRICS: JobMetrics = { finished() {} };

/** Job durations from 10 ms (a probe) to an hour (a long retention sweep), in seconds. */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

/**
 * The job engine's metrics: what this process ran (counter and durations by queue) and, read at
 * scrape time from pg-boss's queue table, how many jobs each queue holds by state. pg-boss keeps
 * those counts itself (refreshed by its monitor pass), so a scrape reads one small table.
 */
export function observeJobs(boss: PgBoss, metrics: StewardMetrics | undefined): JobMetrics {
  if (!metrics) return NO_METRICS;
  const finished = metrics.counter({
    name: 'steward_jobs_finished_total',
    help: 'Jobs this process ran to the end, by queue and outcome (failed: the attempt failed; pg-boss retries or dead-letters it).',
    labelNames: ['queue', 'outcome'],
  });
  const duration = metrics.histogram({
    name: 'steward_job_duration_seconds',
    help: 'How long the jobs this process ran took, by queue.',
    labelNames: ['queue'],
    buckets: JOB_BUCKETS,
  });
  metrics.gaugeAtScrape(
    {
      name: 'steward_job_queue_jobs',
      help: 'Jobs in each queue by state (ready, deferred, active, failed and retained), as pg-boss last counted them; the dead-letter queue is steward.dead-letter.',
      labelNames: ['queue', 'state'],
    },
    async () =>
      (await boss.getQueues()).flatMap((queue) =>
        (['ready', 'deferred', 'active', 'failed'] as const).map((state) => ({
          labels: { queue: queue.name, state },
          value: Number(queue[`${state}Count`] ?? 0),
        })),
      ),
  );
  return {
    finished(queue, outcome, seconds) {
      finished.inc({ queue, outcome });
      duration.observe({ queue }, seconds);
    },
  };
}
