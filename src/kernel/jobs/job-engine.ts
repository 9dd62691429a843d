import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { fromKysely, PgBoss, type Queue } from 'pg-boss';
import { databaseUnavailable } from '../database/connection-errors.ts';
import { InvalidInput, isDomainError } from '../errors/domain-error.ts';
import type { DbHandle } from '../database/db-handle.ts';
import type { Logger } from '../logging/logger.ts';
import type { JobDefinition } from './job-definition.ts';
import { observeJobs, type JobMetrics } from './job-metrics.ts';
import type { StewardMetrics } from '../metrics/steward-metrics.ts';
import { withSpan } from '../tracing/tracing.ts';

/**
 * Where every job that exhausted its retries is copied (with its payload, source queue and id), so
 * a failure is never silently dropped. Nothing consumes it: operators inspect and redrive from it.
 */
export const DEAD_LETTER_QUEUE = 'steward.dead-letter';
const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;

export interface EnqueueOptions<Tables = unknown> {
  /**
   * Enqueue inside this transaction, so the job exists exactly when the change that asked for it
   * commits.
   */
  within?: DbHandle<Tables>;
  /** The same key on the same queue enqueues at most one job (while that job is retained). */
  idempotencyKey?: string;
  startAfter?: Date | number;
  /**
   * Higher runs first among the queue's waiting jobs (pg-boss fetches by priority, then age); 0 by
   * default. A multi-step process raises it for later steps, so work already started finishes
   * before new work begins instead of queueing behind all of it.
   */
  priority?: number;
}

export interface JobEngine {
  /**
   * Creates every queue (with its dead-letter route) and schedule; with `work`, also starts workers
   * in this process, whose handlers receive `services` (required then).
   */
  start(options: { work: boolean; services?: unknown }): Promise<void>;
  /** Returns the job id, or null when the idempotency key was already used. */
  enqueue<Tables>(queue: string, payload: object, options?: EnqueueOptions<Tables>): Promise<string | null>;
  /** Stops fetching, waits up to graceMs for running jobs, then closes pg-boss's connections. */
  stop(graceMs: number): Promise<void>;
  /** This process's name among the workers, `role@host:pid`. */
  readonly instanceName: string;
  readonly boss: PgBoss;
}

export interface JobEngineSettings {
  concurrency: number;
  pollIntervalSeconds: number;
  instanceName: string;
  /** Where the engine counts the jobs this process runs and reads queue depths at scrape time. */
  metrics?: StewardMetrics;
}

/** One function to create the job engine; everything enqueues through it. */
export function createJobEngine(
  database: { url: string },
  definitions: JobDefinition[],
  settings: JobEngineSettings,
  logger: Logger,
): JobEngine {
  for (const definition of definitions) assertHeartbeat(definition);
  const supervision = supervisionIntervals(definitions);
  const boss = new PgBoss({
    connectionString: database.url,
    schema: 'pgboss',
    max: 4,
    instanceName: settings.instanceName,
    ...supervision,
  });
  boss.on('error', (error: Error) => {
    // pg-boss reconnects by itself; a database that is restarting is a warning, not a stack trace per poll.
    const unavailable = databaseUnavailable(error);
    if (unavailable)
      logger.warn({ reason: unavailable.details?.reason }, 'job engine: database unavailable, retrying');
    else logger.error({ err: error }, 'job engine error');
  });
  const byQueue = new Map(definitions.map((d) => [d.queue, d]));
  const observed = observeJobs(boss, settings.metrics);
  let stopping: Promise<void> | undefined;

  return {
    boss,
    instanceName: settings.instanceName,
    async start({ work, services }) {
      if (work && !services) throw new TypeError('jobs.start: a worker needs the services its handlers use');
      await boss.start();
      await boss.createQueue(DEAD_LETTER_QUEUE, {
        retentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
        deleteAfterSeconds: DEAD_LETTER_RETENTION_SECONDS,
      });
      for (const definition of definitions) {
        await ensureQueue(boss, definition);
        await ensureSchedule(boss, definition);
        if (work) await startWorker(boss, definition, settings, services!, logger, observed);
      }
    },
    async enqueue(queue, payload, options = {}) {
      if (!byQueue.has(queue)) {
        throw new InvalidInput(
          'jobs.unknown_queue',
          `No job is defined for queue "${queue}". List its definition in its module's manifest (jobs).`,
          { queue },
        );
      }
      return boss.send(queue, payload, {
        ...(options.idempotencyKey ? { id: idempotentJobId(queue, options.idempotencyKey) } : {}),
        ...(options.priority ? { priority: options.priority } : {}),
        ...(options.startAfter
          ? {
              startAfter:
                options.startAfter instanceof Date ? options.startAfter : new Date(options.startAfter),
            }
          : {}),
        // pg-boss runs its insert on whatever handle it is given; the tables' type does not matter to it.
        ...(options.within ? { db: fromKysely(options.within as unknown as Kysely<never>) } : {}),
      });
    },
    stop(graceMs) {
      stopping ??= boss.stop({ graceful: true, timeout: graceMs, close: true });
      return stopping;
    },
  };
}

/** The queue's policy as pg-boss stores it, from the definition's defaults. */
export function queuePolicy(definition: JobDefinition): Omit<Queue, 'name'> {
  return {
    retryLimit: definition.retryLimit ?? 3,
    retryDelay: Math.max(1, definition.retryDelaySeconds ?? 5),
    retryBackoff: true,
    retryDelayMax: definition.retryDelayMaxSeconds ?? 3600,
    expireInSeconds: Math.max(1, definition.timeoutSeconds ?? 900),
    deleteAfterSeconds: definition.keepCompletedSeconds ?? 7 * 24 * 3600,
    deadLetter: DEAD_LETTER_QUEUE,
    ...(definition.heartbeatSeconds ? { heartbeatSeconds: definition.heartbeatSeconds } : {}),
  };
}

/** pg-boss refuses heartbeats under 10 s; say so with the definition's name, at start-up. */
function assertHeartbeat(definition: JobDefinition): void {
  const seconds = definition.heartbeatSeconds;
  if (seconds === undefined || (Number.isInteger(seconds) && seconds >= 10)) return;
  throw new InvalidInput(
    'jobs.invalid_heartbeat',
    `The job definition of queue "${definition.queue}" has heartbeatSeconds ${seconds}; use a whole number of at least 10.`,
    { queue: definition.queue },
  );
}

/**
 * A lost heartbeat is only noticed by pg-boss's monitor pass, which by default runs once a minute:
 * that would add up to a minute to every takeover. With heartbeats, the pass runs as often as the
 * shortest heartbeat (at most once every 10 s, as passes also refresh queue statistics).
 */
function supervisionIntervals(definitions: JobDefinition[]): {
  superviseIntervalSeconds?: number;
  monitorIntervalSeconds?: number;
} {
  const heartbeats = definitions.flatMap((d) => (d.heartbeatSeconds ? [d.heartbeatSeconds] : []));
  if (heartbeats.length === 0) return {};
  const seconds = Math.min(60, Math.max(10, Math.min(...heartbeats)));
  return { superviseIntervalSeconds: seconds, monitorIntervalSeconds: seconds };
}

async function ensureQueue(boss: PgBoss, definition: JobDefinition): Promise<void> {
  const policy = queuePolicy(definition);
  // createQueue is a no-op for an existing queue; updateQueue keeps policy changes in code effective
  // (null switches off a heartbeat the definition no longer has).
  await boss.createQueue(definition.queue, policy);
  await boss.updateQueue(definition.queue, { ...policy, heartbeatSeconds: policy.heartbeatSeconds ?? null });
}

async function ensureSchedule(boss: PgBoss, definition: JobDefinition): Promise<void> {
  if (!definition.schedule) {
    // A schedule removed from the code must stop firing, not linger in the database.
    await boss.unschedule(definition.queue);
    return;
  }
  await boss.schedule(definition.queue, definition.schedule.cron, definition.schedule.payload ?? {}, {
    tz: definition.schedule.timezone ?? 'UTC',
  });
}

async function startWorker(
  boss: PgBoss,
  definition: JobDefinition,
  settings: JobEngineSettings,
  services: unknown,
  logger: Logger,
  observed: JobMetrics,
): Promise<void> {
  await boss.work<object>(
    definition.queue,
    {
      localConcurrency: settings.concurrency,
      pollingIntervalSeconds: settings.pollIntervalSeconds,
      batchSize: 1,
      // A third, not pg-boss's default half: one late beat (a slow query, a GC pause) is not yet a lost job.
      ...(definition.heartbeatSeconds ? { heartbeatRefreshSeconds: definition.heartbeatSeconds / 3 } : {}),
    },
    async ([job]) => {
      if (!job) return;
      const jobLogger = logger.child({ queue: definition.queue, jobId: job.id });
      const started = performance.now();
      try {
        // One span per job (when tracing is on), parent of the queries and calls the job makes.
        const output = await withSpan(
          `job ${definition.queue}`,
          {
            'messaging.system': 'pg-boss',
            'messaging.destination.name': definition.queue,
            'steward.job.attempt': job.retryCount,
          },
          () =>
            definition.handle(job.data, {
              jobId: job.id,
              attempt: job.retryCount,
              signal: job.signal,
              logger: jobLogger,
              worker: settings.instanceName,
              services,
            }),
          'consumer',
        );
        observed.finished(definition.queue, 'completed', (performance.now() - started) / 1000);
        jobLogger.debug({ ms: Math.round(performance.now() - started) }, 'job completed');
        return output ?? undefined;
      } catch (error) {
        // A domain error is an expected condition (a mail server down, a source system unreachable)
        // whose message says what to fix and, for retried work, when the next attempt is: one line,
        // no stack trace. Anything else is a bug and keeps its stack.
        if (isDomainError(error))
          jobLogger.warn({ errorCode: error.code, attempt: job.retryCount }, `job failed: ${error.message}`);
        else jobLogger.warn({ err: error, attempt: job.retryCount }, 'job failed');
        observed.finished(definition.queue, 'failed', (performance.now() - started) / 1000);
        throw error;
      } finally {
        keepFetchingWhileBusy(boss, definition.queue);
      }
    },
  );
}

/**
 * pg-boss waits a whole polling interval after every job, which caps each worker slot at one job
 * per interval even with a backlog. A job that just finished suggests more are waiting, so the
 * slots of this queue that hold a job fetch again at once; a fetch that comes back empty falls
 * back to ordinary polling, so an idle queue costs no more than before.
 */
function keepFetchingWhileBusy(boss: PgBoss, queue: string): void {
  for (const worker of boss.getWipData()) {
    if (worker.name === queue && worker.count > 0) boss.notifyWorker(worker.id);
  }
}

/** A UUID derived from queue and key, so a repeated enqueue collides on pg-boss's primary key. */
export function idempotentJobId(queue: string, key: string): string {
  const hex = createHash('sha256').update(`${queue}\u0000${key}`).digest('hex');
  // Shape it as a version-8 (custom) RFC 9562 UUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
