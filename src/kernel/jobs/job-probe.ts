import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { StewardDatabase } from '../database/open-database.ts';
import { DEFAULT_TENANT_ID, type CoreTables } from '../database/core-tables.ts';
import type { JobsTables } from './jobs-tables.ts';
import { defineJob } from './job-definition.ts';
import type { JobEngine } from './job-engine.ts';

/**
 * The load-sharing probe: an operator enqueues many tiny jobs and reads back which worker process
 * ran each of them, to check that every worker takes part and that no job ran twice.
 */
export const PROBE_QUEUE = 'system.probe';

/** Probe records are diagnostics, not business data: runs older than this are pruned at the next run. */
const PROBE_RETENTION_DAYS = 7;

export interface ProbePayload {
  runId: string;
  /** Simulated work per job, so that sharing is visible even when each worker could drain the queue alone. */
  holdMs: number;
}

/** The kernel's own tables: what the probe may touch. */
type KernelTables = CoreTables & JobsTables;

export const probeJob = defineJob<ProbePayload, { database: StewardDatabase<KernelTables> }>({
  queue: PROBE_QUEUE,
  retryLimit: 2,
  retryDelaySeconds: 1,
  timeoutSeconds: 60,
  keepCompletedSeconds: PROBE_RETENTION_DAYS * 24 * 3600,
  async handle(payload, { jobId, worker, services }) {
    if (payload.holdMs > 0)
      await new Promise((resolve) => setTimeout(resolve, Math.min(payload.holdMs, 10_000)));
    // One row per execution, not per job: a job that ran twice must show up twice.
    await services.database.db
      .insertInto('job_probes')
      .values({
        tenant_id: DEFAULT_TENANT_ID,
        run_id: payload.runId,
        job_id: jobId,
        worker,
        pid: process.pid,
      })
      .execute();
  },
});

/** Enqueues `count` probe jobs under a new run id (in one transaction) and returns that id. */
export async function enqueueProbeRun(
  db: Kysely<KernelTables>,
  jobs: JobEngine,
  count: number,
  holdMs: number,
): Promise<string> {
  const runId = randomUUID();
  await db
    .deleteFrom('job_probes')
    .where('tenant_id', '=', DEFAULT_TENANT_ID)
    .where('ran_at', '<', sql<Date>`now() - make_interval(days => ${PROBE_RETENTION_DAYS})`)
    .execute();
  await db.transaction().execute(async (trx) => {
    for (let index = 0; index < count; index++) {
      await jobs.enqueue(PROBE_QUEUE, { runId, holdMs } satisfies ProbePayload, { within: trx });
    }
  });
  return runId;
}

export interface ProbeWorkerShare {
  worker: string;
  pid: number;
  jobs: number;
}

/** What a probe run shows, as plain data for the CLI's table and --json. */
export interface ProbeReport {
  runId: string;
  requested: number;
  /** Distinct jobs that ran at least once. */
  ran: number;
  /** Executions recorded; more than `ran` means some job ran twice. */
  executions: number;
  /** Jobs that ran more than once (after a crash mid-job, or a fault). */
  duplicates: number;
  workers: ProbeWorkerShare[];
}

export async function readProbeReport(
  db: Kysely<KernelTables>,
  runId: string,
  requested: number,
): Promise<ProbeReport> {
  const scoped = db
    .selectFrom('job_probes')
    .where('tenant_id', '=', DEFAULT_TENANT_ID)
    .where('run_id', '=', runId);
  const totals = await scoped
    .select((eb) => [
      eb.fn.countAll<number>().as('executions'),
      eb.fn.count<number>('job_id').distinct().as('ran'),
    ])
    .executeTakeFirstOrThrow();
  const duplicates = await db
    .selectFrom(
      scoped
        .select('job_id')
        .groupBy('job_id')
        .having((eb) => eb.fn.countAll(), '>', 1)
        .as('twice'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const workers = await scoped
    .select(['worker', 'pid', (eb) => eb.fn.countAll<number>().as('jobs')])
    .groupBy(['worker', 'pid'])
    .orderBy('worker')
    .execute();
  return {
    runId,
    requested,
    ran: Number(totals.ran),
    executions: Number(totals.executions),
    duplicates: Number(duplicates.n),
    workers: workers.map((w) => ({ worker: w.worker, pid: w.pid, jobs: Number(w.jobs) })),
  };
}
