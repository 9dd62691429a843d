import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createStewardJobEngine } from '../../../../app/start-steward.ts';
import type { JobEngine } from '../../../../kernel/jobs/job-engine.ts';
import { startDsrTestApp, type DsrTestApp } from '../../../../../test/support/start-dsr-test-app.ts';
import {
  createSourceSystem,
  type TestSourceSystem,
} from '../../../../../test/support/test-source-systems.ts';
import { waitUntil } from '../../../../../test/support/wait-until.ts';
import { SHOP_DATA_SQL, shopDataMapYaml, shopSchemaSql } from '../execution/test-shop-fixture.ts';

process.env.TEST_SHOP_HMAC_KEY = 'test-shop-hmac-key-0123456789abcdef';

const REQUESTS = 8;
let shop: TestSourceSystem;
let t: DsrTestApp;
let lateWorker: JobEngine | undefined;

before(async () => {
  shop = await createSourceSystem('postgres', 'shop');
  await shop.exec(shopSchemaSql('postgres'));
  await shop.exec(SHOP_DATA_SQL);
  const dataMapDir = await mkdtemp(join(tmpdir(), 'steward-datamap-'));
  process.env.TEST_SHOP_URL_PRIORITY = shop.url;
  await writeFile(
    join(dataMapDir, 'shop.yaml'),
    shopDataMapYaml('postgres', '{ url: env:TEST_SHOP_URL_PRIORITY }'),
  );
  // No worker yet: the requests queue up first, as a burst does while the workers are busy.
  t = await startDsrTestApp({ work: false, config: { datamap: { path: dataMapDir } } });
});
after(async () => {
  await lateWorker?.stop(1000);
  await t?.close();
  await shop?.close();
});

test(`a burst of requests is executed first come, first done: a request's later steps run before the plans of requests behind it`, async () => {
  const ids: string[] = [];
  for (let n = 1; n <= REQUESTS; n++) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: await t.headers('privacy_officer'),
      payload: { type: 'access', identities: { email: `burst${n}@example.com` }, identityVerified: true },
    });
    assert.equal(response.statusCode, 201, response.body);
    ids.push((response.json() as { id: string }).id);
  }
  // One worker slot, so the order it takes the steps in is the order they run in.
  lateWorker = createStewardJobEngine(t.database, t.services.config, t.services.logger, {
    instanceName: 'late-worker',
    concurrency: 1,
  });
  await lateWorker.start({ work: true, services: t.services });
  await waitUntil(
    'every request is closed',
    async () => {
      const open = await t.database.db
        .selectFrom('dsr_requests')
        .select('id')
        .where('id', 'in', ids)
        .where('closed_at', 'is', null)
        .execute();
      return open.length === 0 ? true : undefined;
    },
    120_000,
  );

  const steps = await t.database.db
    .selectFrom('dsr_request_steps')
    .select(['request_id', 'kind', 'started_at'])
    .where('request_id', 'in', ids)
    .orderBy('started_at')
    .execute();
  // Before, every request's plan ran before any request's next step: the first request finished last but one.
  const order = steps.map((s) => `${ids.indexOf(s.request_id) + 1}:${s.kind}`);
  const firstDone = order.indexOf('1:complete');
  const lastPlan = order.indexOf(`${REQUESTS}:plan`);
  assert.ok(firstDone >= 0 && lastPlan >= 0, order.join(' '));
  assert.ok(
    firstDone < lastPlan,
    `request 1 completed before request ${REQUESTS} was planned: ${order.join(' ')}`,
  );
  const started = order.filter((step) => step.endsWith(':plan'));
  assert.deepEqual(
    started,
    ids.map((_, index) => `${index + 1}:plan`),
    'requests start in the order they came in',
  );
});
