import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { JobWithMetadata } from 'pg-boss';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { configSchema } from '../../app/config/config-schema.ts';
import { createLogger } from '../logging/logger.ts';
import { createServices } from '../../app/create-services.ts';
import { Unavailable } from '../errors/domain-error.ts';
import { defineJob, type JobDefinition } from './job-definition.ts';
import { createJobEngine, DEAD_LETTER_QUEUE, type JobEngine } from './job-engine.ts';

/** Attempts each test queue's handler saw, by queue. */
const attempts = new Map<string, number[]>();
const record = (queue: string, attempt: number) =>
  attempts.set(queue, [...(attempts.get(queue) ?? []), attempt]);

const aJobThatFailsTwiceThenSucceeds = defineJob<{ order: string }>({
  queue: 'test.flaky',
  retryLimit: 3,
  retryDelaySeconds: 1,
  async handle(payload, { attempt }) {
    record('test.flaky', attempt);
    if (attempt < 2) throw new Error(`downstream not ready (attempt ${attempt})`);
    return { delivered: payload.order };
  },
});

const aJobThatIgnoresItsDeadline = defineJob({
  queue: 'test.slow',
  retryLimit: 1,
  retryDelaySeconds: 1,
  timeoutSeconds: 1,
  async handle(_payload, { attempt, signal }) {
    record('test.slow', attempt);
    // Runs until the engine aborts it for exceeding timeoutSeconds.
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    record('test.slow.aborted', attempt);
    throw new Error('stopped: the job timed out');
  },
});

const aJobNobodyRuns = defineJob({ queue: 'test.idle', async handle() {} });

const aNightlyJobInBerlin = defineJob({
  queue: 'test.nightly',
  schedule: { cron: '0 3 * * *', timezone: 'Europe/Berlin' },
  async handle() {},
});

interface Running {
  database: TestDatabase;
  jobs: JobEngine;
  stop(): Promise<void>;
}

async function startEngine(
  database: TestDatabase,
  definitions: JobDefinition[],
  work: boolean,
): Promise<Running> {
  const logger = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
  const jobs = createJobEngine(
    database,
    definitions,
    { concurrency: 2, pollIntervalSeconds: 0.5, instanceName: 'worker@test:1' },
    logger,
  );
  const services = await createServices(configSchema.parse({}), database, jobs, logger);
  await jobs.start({ work, services });
  return { database, jobs, stop: () => jobs.stop(2000) };
}

async function jobById(jobs: JobEngine, queue: string, id: string): Promise<JobWithMetadata | undefined> {
  const [job] = await jobs.boss.findJobs<object>(queue, { id });
  return job;
}

/** Polls until the job reaches a final state; a generous cap so a slow machine does not fail it. */
async function settled(jobs: JobEngine, queue: string, id: string): Promise<JobWithMetadata> {
  for (let i = 0; i < 240; i++) {
    const job = await jobById(jobs, queue, id);
    if (job && (job.state === 'completed' || job.state === 'failed')) return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`job ${id} on ${queue} did not settle`);
}

describe(`job engine`, () => {
  let running: Running;
  before(async () => {
    const database = await createTestDatabase();
    running = await startEngine(
      database,
      [aJobThatFailsTwiceThenSucceeds, aJobThatIgnoresItsDeadline, aJobNobodyRuns, aNightlyJobInBerlin],
      true,
    );
  });
  after(async () => {
    await running.stop();
    await running.database.close();
  });

  test('a job that fails twice is retried with backoff and completes on its third attempt', async () => {
    const id = await running.jobs.enqueue('test.flaky', { order: 'A-1001' });
    assert.ok(id);
    const job = await settled(running.jobs, 'test.flaky', id);
    assert.equal(job.state, 'completed');
    assert.deepEqual(job.output, { delivered: 'A-1001' });
    assert.deepEqual(attempts.get('test.flaky'), [0, 1, 2]);
    assert.equal(job.retryCount, 2);
  });

  test('the same idempotency key twice gives one job', async () => {
    const first = await running.jobs.enqueue(
      'test.idle',
      { request: 'r-1' },
      { idempotencyKey: 'dsr-r-1-deadline', startAfter: Date.now() + 3_600_000 },
    );
    const second = await running.jobs.enqueue(
      'test.idle',
      { request: 'r-1' },
      { idempotencyKey: 'dsr-r-1-deadline', startAfter: Date.now() + 3_600_000 },
    );
    assert.ok(first);
    assert.equal(second, null);
    const other = await running.jobs.enqueue(
      'test.idle',
      { request: 'r-2' },
      { idempotencyKey: 'dsr-r-2-deadline', startAfter: Date.now() + 3_600_000 },
    );
    assert.ok(other);
    assert.notEqual(other, first);
    const queued = await running.jobs.boss.findJobs('test.idle', { data: { request: 'r-1' } });
    assert.equal(queued.length, 1);
  });

  test('a job enqueued inside a rolled-back transaction does not exist; inside a committed one it does', async () => {
    const { db } = running.database;
    let rolledBackId: string | null = null;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('tenants').values({ id: 'rolled-back', name: 'Rolled back' }).execute();
        rolledBackId = await running.jobs.enqueue(
          'test.idle',
          { tenant: 'rolled-back' },
          { within: trx, startAfter: Date.now() + 3_600_000 },
        );
        throw new Error('the change failed after the enqueue');
      }),
      /the change failed/,
    );
    assert.ok(rolledBackId, 'the enqueue itself succeeded inside the transaction');
    assert.equal(await jobById(running.jobs, 'test.idle', rolledBackId), undefined);

    const committedId = await db.transaction().execute(async (trx) => {
      await trx.insertInto('tenants').values({ id: 'committed', name: 'Committed' }).execute();
      return running.jobs.enqueue(
        'test.idle',
        { tenant: 'committed' },
        { within: trx, startAfter: Date.now() + 3_600_000 },
      );
    });
    assert.ok(committedId);
    assert.equal((await jobById(running.jobs, 'test.idle', committedId))?.state, 'created');
  });

  test('a job exceeding its timeout is aborted through its signal, retried, then failed into the dead-letter queue', async () => {
    const id = await running.jobs.enqueue('test.slow', { sweep: 'nightly' });
    assert.ok(id);
    const job = await settled(running.jobs, 'test.slow', id);
    assert.equal(job.state, 'failed');
    assert.match(JSON.stringify(job.output), /exceeded 1s/);
    assert.deepEqual(attempts.get('test.slow'), [0, 1]);
    assert.deepEqual(attempts.get('test.slow.aborted'), [0, 1]);
    const [dead] = await running.jobs.boss.findJobs(DEAD_LETTER_QUEUE, { data: { sweep: 'nightly' } });
    assert.ok(dead, 'the exhausted job was copied to the dead-letter queue');
    assert.equal(dead.sourceName, 'test.slow');
    assert.equal(dead.sourceId, id);
  });

  test('a cron schedule is stored with its IANA timezone', async () => {
    const [schedule] = await running.jobs.boss.getSchedules('test.nightly');
    assert.equal(schedule?.cron, '0 3 * * *');
    assert.equal(schedule?.timezone, 'Europe/Berlin');
  });

  test('enqueueing to a queue nobody defined is refused with the fix', async () => {
    await assert.rejects(
      running.jobs.enqueue('test.typo', {}),
      /No job is defined for queue "test\.typo"\. List its definition in its module.s manifest/,
    );
  });
});

test(`a schedule removed from the code stops firing`, async () => {
  const database = await createTestDatabase();
  try {
    const first = await startEngine(database, [aNightlyJobInBerlin], false);
    assert.equal((await first.jobs.boss.getSchedules('test.nightly')).length, 1);
    await first.jobs.stop(1000).catch(() => {});
    const withoutSchedule = defineJob({ queue: 'test.nightly', async handle() {} });
    const second = await startEngine(database, [withoutSchedule], false);
    assert.deepEqual(await second.jobs.boss.getSchedules('test.nightly'), []);
    await second.stop();
  } finally {
    await database.close();
  }
});

const HEARTBEAT_SECONDS = 10;

/** A long job: it holds until it has outlived `outliveSeconds` on its heartbeats alone. */
const aLongJobWithHeartbeats = defineJob<{ name: string; outliveSeconds?: number }, { jobs: JobEngine }>({
  queue: 'test.long',
  retryLimit: 2,
  retryDelaySeconds: 1,
  timeoutSeconds: 3600,
  heartbeatSeconds: HEARTBEAT_SECONDS,
  async handle(payload, { attempt, jobId, services }) {
    record(`test.long:${payload.name}`, attempt);
    if (payload.outliveSeconds) await outlive(services.jobs, jobId, payload.outliveSeconds);
    return { ran: payload.name };
  },
});

/** Waits until the job's last heartbeat is `seconds` after its start (both by the database's clock). */
async function outlive(jobs: JobEngine, id: string, seconds: number): Promise<void> {
  for (;;) {
    const job = await jobById(jobs, 'test.long', id);
    if (job?.state !== 'active') return;
    if (job.heartbeatOn && job.heartbeatOn.getTime() - job.startedOn.getTime() >= seconds * 1000) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test(`a job whose worker died is taken over when its heartbeat lapses, long before its timeout; a live job that outlives its heartbeat is not`, async () => {
  const database = await createTestDatabase();
  const crashed = await startEngine(database, [aLongJobWithHeartbeats], false);
  let survivor: Running | undefined;
  try {
    // A worker claims a job and is killed: the job stays active, and nobody renews its heartbeat.
    const orphan = await crashed.jobs.enqueue('test.long', { name: 'orphan' });
    assert.ok(orphan);
    const [claimed] = await crashed.jobs.boss.fetch<object>('test.long');
    assert.equal(claimed?.id, orphan);

    // The surviving worker runs a job that lives past two heartbeat periods and a monitor pass:
    // its heartbeats keep it claimed, so it must run exactly once.
    survivor = await startEngine(database, [aLongJobWithHeartbeats], true);
    const live = await survivor.jobs.enqueue('test.long', {
      name: 'live',
      outliveSeconds: 3 * HEARTBEAT_SECONDS,
    });
    assert.ok(live);

    const orphanJob = await settled(survivor.jobs, 'test.long', orphan);
    assert.equal(orphanJob.state, 'completed');
    assert.deepEqual(orphanJob.output, { ran: 'orphan' });
    assert.deepEqual(
      attempts.get('test.long:orphan'),
      [1],
      'the dead worker’s attempt was failed by its lapsed heartbeat and retried here',
    );

    const liveJob = await settled(survivor.jobs, 'test.long', live);
    assert.equal(liveJob.state, 'completed');
    assert.ok(
      liveJob.heartbeatOn!.getTime() - liveJob.startedOn.getTime() >= 3 * HEARTBEAT_SECONDS * 1000,
      'it did outlive its heartbeat period',
    );
    assert.deepEqual(
      attempts.get('test.long:live'),
      [0],
      'a job that kept beating was never handed to a second attempt',
    );
  } finally {
    await survivor?.stop();
    await crashed.stop();
    await database.close();
  }
});

test(`a job failing with a domain error logs one line saying why, without a stack trace; a bug keeps its stack`, async () => {
  const aJobWhoseServerIsDown = defineJob({
    queue: 'test.server-down',
    retryLimit: 0,
    async handle() {
      throw new Unavailable(
        'test.server_down',
        'The mail server 127.0.0.1:2525 refused (ECONNREFUSED); no attempt is left.',
      );
    },
  });
  const aJobWithABug = defineJob({
    queue: 'test.bug',
    retryLimit: 0,
    async handle() {
      throw new TypeError('undefined is not a function');
    },
  });
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  });
  const database = await createTestDatabase();
  const jobs = createJobEngine(
    database,
    [aJobWhoseServerIsDown, aJobWithABug],
    { concurrency: 2, pollIntervalSeconds: 0.5, instanceName: 'worker@test:3' },
    logger,
  );
  try {
    await jobs.start({
      work: true,
      services: await createServices(configSchema.parse({}), database, jobs, logger),
    });
    await settled(jobs, 'test.server-down', (await jobs.enqueue('test.server-down', {}))!);
    await settled(jobs, 'test.bug', (await jobs.enqueue('test.bug', {}))!);
    const down = lines.find((line) => line.queue === 'test.server-down');
    assert.deepEqual(
      [down?.level, down?.msg, down?.errorCode, down?.err],
      [
        'warn',
        'job failed: The mail server 127.0.0.1:2525 refused (ECONNREFUSED); no attempt is left.',
        'test.server_down',
        undefined,
      ],
    );
    const bug = lines.find((line) => line.queue === 'test.bug') as { msg?: string; err?: { stack?: string } };
    assert.equal(bug?.msg, 'job failed');
    assert.match(bug?.err?.stack ?? '', /TypeError: undefined is not a function\n {4}at /);
  } finally {
    await jobs.stop(2000);
    await database.close();
  }
});
