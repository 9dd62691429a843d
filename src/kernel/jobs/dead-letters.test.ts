import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { configSchema } from '../../app/config/config-schema.ts';
import { createLogger } from '../logging/logger.ts';
import { createServices } from '../../app/create-services.ts';
import { listDeadLetters, redriveDeadLetters } from './dead-letters.ts';
import { defineJob } from './job-definition.ts';
import { createJobEngine, type JobEngine } from './job-engine.ts';

/** A webhook delivery whose endpoint is down until the operator fixes it. */
let endpointUp = false;
const delivered: string[] = [];
const aWebhookDelivery = defineJob<{ delivery: string }>({
  queue: 'test.webhook',
  retryLimit: 0,
  async handle(payload) {
    if (!endpointUp) throw new Error('endpoint answered 503');
    delivered.push(payload.delivery);
  },
});

let database: TestDatabase;
let jobs: JobEngine;
before(async () => {
  database = await createTestDatabase();
  const logger = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
  jobs = createJobEngine(
    database,
    [aWebhookDelivery],
    { concurrency: 1, pollIntervalSeconds: 0.5, instanceName: 'worker@test:1' },
    logger,
  );
  await jobs.start({
    work: true,
    services: await createServices(configSchema.parse({}), database, jobs, logger),
  });
});
after(async () => {
  await jobs.stop(1000);
  await database.close();
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 120; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail('gave up waiting');
}

test(`a job that failed for good is listed with its queue and error, and runs again once redriven`, async () => {
  const jobId = await jobs.enqueue('test.webhook', { delivery: 'd-1' });
  const [dead] = await eventually(
    () => listDeadLetters(jobs, { limit: 10 }),
    (letters) => letters.length === 1,
  );
  assert.equal(dead?.queue, 'test.webhook');
  assert.equal(dead?.jobId, jobId);
  assert.equal(dead?.attempts, 1);
  assert.equal(dead?.error, 'endpoint answered 503');
  assert.deepEqual(await listDeadLetters(jobs, { queue: 'test.other', limit: 10 }), []);

  endpointUp = true;
  assert.equal(await redriveDeadLetters(jobs, { queue: 'test.webhook' }), 1);
  await eventually(
    async () => delivered,
    (list) => list.length === 1,
  );
  assert.deepEqual(delivered, ['d-1']);
  assert.deepEqual(await listDeadLetters(jobs, { limit: 10 }), []);
});
