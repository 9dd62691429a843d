import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createSourceSystem,
  type TestSourceSystem,
} from '../../../../../test/support/test-source-systems.ts';
import { SHOP_DATA_SQL, shopDataMapYaml, shopSchemaSql } from '../execution/test-shop-fixture.ts';
import { startDsrTestApp, type DsrTestApp } from '../../../../../test/support/start-dsr-test-app.ts';
import { waitUntil } from '../../../../../test/support/wait-until.ts';
import { watchOverRequests } from './request-watchdog.ts';
import { STEP_HEARTBEAT_SECONDS } from './request-queues.ts';
import { runRequestStep, type StepHandlers } from './run-request-step.ts';
import { DSR_STEP_HANDLERS } from './step-handlers.ts';

process.env.TEST_SHOP_HMAC_KEY = 'test-shop-hmac-key-0123456789abcdef';

/** A CRM the data map lists but that cannot be reached: its database does not exist. */
const UNREACHABLE_CRM = `
  - id: crm
    kind: postgres
    role: processor
    connection: { url: env:TEST_CRM_URL, connectTimeoutMs: 2000 }
    collections:
      - name: contacts
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - { name: email, type: varchar(100), nullable: false, categories: [user.contact.email], identity: email }
`;

async function aShopWithItsDataMap(
  extraSystems = '',
): Promise<{ shop: TestSourceSystem; dataMapDir: string }> {
  const shop = await createSourceSystem('postgres', 'shop');
  await shop.exec(shopSchemaSql('postgres'));
  await shop.exec(SHOP_DATA_SQL);
  const dataMapDir = await mkdtemp(join(tmpdir(), 'steward-datamap-'));
  // Each data map names its own variable: tests in this file run their shops side by side.
  const variable = `TEST_SHOP_URL_${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  process.env[variable] = shop.url;
  await writeFile(
    join(dataMapDir, 'shop.yaml'),
    shopDataMapYaml('postgres', `{ url: env:${variable} }`) + extraSystems,
  );
  return { shop, dataMapDir };
}

/** Every row of the tables an erasure touches, as text: what "no second effect" is compared on. */
async function snapshot(shop: TestSourceSystem): Promise<string> {
  const tables = [
    'customers',
    'addresses',
    'orders',
    'order_items',
    'payments',
    'preferences',
    'comments',
    'page_views',
  ];
  const parts: string[] = [];
  for (const table of tables)
    parts.push(
      JSON.stringify((await shop.query(`SELECT * FROM ${table}`)).map((r) => JSON.stringify(r)).sort()),
    );
  return parts.join('\n');
}

async function submitErasure(t: DsrTestApp, email: string): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/requests',
    headers: await t.headers('privacy_officer'),
    payload: { type: 'erasure', identities: { email }, identityVerified: true },
  });
  assert.equal(response.statusCode, 201, response.body);
  assert.equal(response.json().state, 'in_progress');
  return response.json().id;
}

const stepsOf = (t: DsrTestApp, id: string) =>
  t.database.db
    .selectFrom('dsr_request_steps')
    .select(['step', 'status', 'attempts', 'error', 'result'])
    .where('request_id', '=', id)
    .orderBy('seq')
    .execute();

const closedRequest = (t: DsrTestApp, id: string, timeoutMs = 60_000) =>
  waitUntil(
    `request ${id} is closed`,
    async () => {
      const row = await t.database.db
        .selectFrom('dsr_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.closed_at ? row : undefined;
    },
    timeoutMs,
  );

describe(`durable execution of requests`, () => {
  test('a worker killed after the source committed an erasure: another worker resumes from that step, with no second effect', async () => {
    const { shop, dataMapDir } = await aShopWithItsDataMap();
    const t = await startDsrTestApp({
      dsr: { approvalRequired: [] },
      config: { datamap: { path: dataMapDir } },
    });
    try {
      const id = await submitErasure(t, 'ann@example.com');
      const payload = (step: string) => ({ tenantId: 'default', requestId: id, step });
      const running = new AbortController().signal;

      // The first worker plans, then dies right after the shop's erasure transaction committed.
      assert.equal(
        await runRequestStep(t.services, payload('plan'), running, DSR_STEP_HANDLERS),
        'succeeded',
      );
      const dyingWorker: StepHandlers = {
        ...DSR_STEP_HANDLERS,
        erase: {
          whenExhausted: 'continue',
          async run(context) {
            await DSR_STEP_HANDLERS.erase!.run(context);
            throw new Error('worker process killed');
          },
        },
      };
      await assert.rejects(
        runRequestStep(t.services, payload('erase:shop'), running, dyingWorker),
        /worker process killed/,
      );
      const afterCrash = await snapshot(shop);
      assert.deepEqual(
        await shop.query("SELECT id FROM customers WHERE lower(email) = 'ann@example.com'"),
        [],
        'the erasure did commit in the shop',
      );
      const interrupted = (await stepsOf(t, id)).find((s) => s.step === 'erase:shop')!;
      assert.deepEqual(
        [interrupted.status, interrupted.attempts, interrupted.error],
        ['pending', 1, 'worker process killed'],
      );

      // Another worker starts and takes the queued jobs: plan again (already done), then the erase step.
      await t.jobs.start({ work: true, services: t.services });
      const request = await closedRequest(t, id);
      assert.equal(request.state, 'completed', request.outcome_reason ?? '');
      assert.equal(await snapshot(shop), afterCrash, 'the repeated step changed nothing more in the shop');
      const steps = await stepsOf(t, id);
      assert.deepEqual(
        steps.map((s) => [s.step, s.status, s.attempts]),
        [
          ['plan', 'succeeded', 1],
          ['erase:shop', 'succeeded', 2],
          ['complete', 'succeeded', 1],
        ],
      );
      assert.equal(steps[1]!.result!.resumed, true);
      const detail = (
        await t.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: await t.headers('auditor') })
      ).json();
      assert.equal(detail.result['erase:shop'].resumed, true, 'the API says the step was resumed');
    } finally {
      await t.close();
      await shop.close();
      await rm(dataMapDir, { recursive: true, force: true });
    }
  });

  describe('a system that cannot be reached', () => {
    let shop: TestSourceSystem;
    let dataMapDir: string;
    let t: DsrTestApp;
    before(async () => {
      ({ shop, dataMapDir } = await aShopWithItsDataMap(UNREACHABLE_CRM));
      process.env.TEST_CRM_URL = 'postgres://postgres@127.0.0.1:5432/steward_no_such_database';
      t = await startDsrTestApp({
        work: true,
        dsr: { approvalRequired: [], execution: { maxStepAttempts: 2 } },
        config: { datamap: { path: dataMapDir } },
      });
    });
    after(async () => {
      await t.close();
      await shop.close();
      await rm(dataMapDir, { recursive: true, force: true });
    });

    test('is retried, then given up; the other systems are erased and the request ends partially completed with the reason', async () => {
      const id = await submitErasure(t, 'bob@example.com');
      const request = await closedRequest(t, id, 90_000);
      assert.equal(request.state, 'partially_completed');
      assert.match(request.outcome_reason!, /erase:crm failed: gave up after 2 attempt\(s\)/);
      const steps = await stepsOf(t, id);
      assert.deepEqual(
        steps.map((s) => [s.step, s.status, s.attempts]),
        [
          ['plan', 'succeeded', 1],
          ['erase:shop', 'succeeded', 1],
          ['erase:crm', 'failed', 2],
          ['complete', 'succeeded', 1],
        ],
      );
      assert.deepEqual(await shop.query("SELECT id FROM customers WHERE email = 'bob@example.com'"), []);
      const api = (
        await t.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: await t.headers('auditor') })
      ).json();
      assert.equal(api.state, 'partially_completed');
      assert.match(api.outcomeReason, /erase:crm failed/);
      assert.equal(api.result['erase:crm'].status, 'failed');
    });

    test('an access request still packages what the reachable systems hold, and says what is missing', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/requests',
        headers: await t.headers('privacy_officer'),
        payload: { type: 'access', identities: { email: 'ann@example.com' }, identityVerified: true },
      });
      assert.equal(response.statusCode, 201, response.body);
      const request = await closedRequest(t, response.json().id, 90_000);
      assert.equal(request.state, 'partially_completed');
      assert.match(request.outcome_reason!, /access:crm failed/);
      const pkg = await t.database.db
        .selectFrom('dsr_packages')
        .selectAll()
        .where('request_id', '=', request.id)
        .executeTakeFirstOrThrow();
      assert.ok(pkg.rows > 0, "the shop's rows are in the package");
      const mail = await t.smtp.waitForMail('ann@example.com', { subject: /partially completed/ });
      assert.match(mail.text, /in part/);
      assert.match(mail.text, /download\?token=/);
    });
  });

  test('a step that runs past its timeout is aborted and counted; at the last attempt it is given up', async () => {
    const { shop, dataMapDir } = await aShopWithItsDataMap();
    const t = await startDsrTestApp({
      dsr: { approvalRequired: [], execution: { stepTimeoutSeconds: 1, maxStepAttempts: 2 } },
      config: { datamap: { path: dataMapDir } },
    });
    try {
      const id = await submitErasure(t, 'ann@example.com');
      const hangingPlan: StepHandlers = {
        ...DSR_STEP_HANDLERS,
        plan: {
          whenExhausted: 'end',
          run: ({ signal }) =>
            new Promise((_resolve, reject) =>
              signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
            ),
        },
      };
      const payload = { tenantId: 'default', requestId: id, step: 'plan' };
      await assert.rejects(runRequestStep(t.services, payload, new AbortController().signal, hangingPlan));
      assert.deepEqual(
        (await stepsOf(t, id)).map((s) => [s.status, s.attempts, s.error]),
        [['pending', 1, 'timed out after 1 s']],
      );

      assert.equal(
        await runRequestStep(t.services, payload, new AbortController().signal, hangingPlan),
        'gave_up',
      );
      const request = await t.database.db
        .selectFrom('dsr_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(request.state, 'failed');
      assert.match(request.outcome_reason!, /plan failed: gave up after 2 attempt\(s\): timed out after 1 s/);
    } finally {
      await t.close();
      await shop.close();
      await rm(dataMapDir, { recursive: true, force: true });
    }
  });

  test('a step whose worker still heartbeats is not run twice at once; once the heartbeat lapses (the worker died), another worker takes it over', async () => {
    const { shop, dataMapDir } = await aShopWithItsDataMap();
    const t = await startDsrTestApp({
      dsr: { approvalRequired: [], execution: { stepTimeoutSeconds: 600 } },
      config: { datamap: { path: dataMapDir } },
    });
    try {
      const id = await submitErasure(t, 'ann@example.com');
      const payload = { tenantId: 'default', requestId: id, step: 'plan' };
      // Another worker claimed the plan step a moment ago and renews its heartbeat: it is running it.
      await t.database.db
        .updateTable('dsr_request_steps')
        .set({ status: 'running', attempts: 1, started_at: new Date(), heartbeat_at: new Date() })
        .where('request_id', '=', id)
        .execute();
      await assert.rejects(
        runRequestStep(t.services, payload, new AbortController().signal, DSR_STEP_HANDLERS),
        (error: Error & { code?: string }) => error.code === 'dsr.step_busy',
      );

      // Its process was killed (SIGKILL): the heartbeat stopped, and lapses long before the step timeout.
      const lapsed = new Date(Date.now() - (STEP_HEARTBEAT_SECONDS + 1) * 1000);
      await t.database.db
        .updateTable('dsr_request_steps')
        .set({ heartbeat_at: lapsed })
        .where('request_id', '=', id)
        .execute();
      assert.equal(
        await runRequestStep(t.services, payload, new AbortController().signal, DSR_STEP_HANDLERS),
        'succeeded',
      );
      const plan = (await stepsOf(t, id)).find((s) => s.step === 'plan')!;
      assert.deepEqual([plan.status, plan.attempts], ['succeeded', 2]);
    } finally {
      await t.close();
      await shop.close();
      await rm(dataMapDir, { recursive: true, force: true });
    }
  });

  test('a worker whose step was taken over by another worker is stopped, and its result is not recorded', async () => {
    const { shop, dataMapDir } = await aShopWithItsDataMap();
    const t = await startDsrTestApp({
      dsr: { approvalRequired: [] },
      config: { datamap: { path: dataMapDir } },
    });
    try {
      const id = await submitErasure(t, 'ann@example.com');
      const payload = { tenantId: 'default', requestId: id, step: 'plan' };
      let stoppedBecause: unknown;
      const aWorkerThatLostItsStep: StepHandlers = {
        ...DSR_STEP_HANDLERS,
        plan: {
          whenExhausted: 'end',
          async run({ signal }) {
            // Meanwhile another worker decided this one was dead and claimed the step (attempt 2).
            await t.database.db
              .updateTable('dsr_request_steps')
              .set({ attempts: 2, heartbeat_at: new Date() })
              .where('request_id', '=', id)
              .execute();
            await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
            stoppedBecause = signal.reason;
            return { result: { late: true }, addSteps: [{ kind: 'complete' }] };
          },
        },
      };
      assert.equal(
        await runRequestStep(t.services, payload, new AbortController().signal, aWorkerThatLostItsStep),
        'superseded',
      );
      assert.match(String(stoppedBecause), /no longer running as attempt 1/);
      const steps = await stepsOf(t, id);
      assert.deepEqual(
        steps.map((s) => [s.step, s.status, s.attempts, s.result]),
        [['plan', 'running', 2, null]],
        'the step is left to the worker that holds it now',
      );
    } finally {
      await t.close();
      await shop.close();
      await rm(dataMapDir, { recursive: true, force: true });
    }
  });

  test('the watchdog ends a request that made no progress, and a late job then does nothing', async () => {
    const { shop, dataMapDir } = await aShopWithItsDataMap();
    const t = await startDsrTestApp({
      dsr: { approvalRequired: [] },
      config: { datamap: { path: dataMapDir } },
    });
    try {
      // No worker runs: the plan step never starts.
      const id = await submitErasure(t, 'ann@example.com');
      const quiet = await watchOverRequests(t.services);
      assert.equal(quiet.ended, 0, 'a fresh request is left alone');

      const threeHoursLater = new Date(Date.now() + 3 * 3600 * 1000);
      const report = await watchOverRequests(t.services, threeHoursLater);
      assert.equal(report.ended, 1);
      const api = (
        await t.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: await t.headers('auditor') })
      ).json();
      assert.equal(api.state, 'failed');
      assert.match(api.outcomeReason, /ended by the watchdog: no progress for 120 minutes at step plan/);
      assert.deepEqual(
        api.steps.map((s: { step: string; status: string }) => [s.step, s.status]),
        [['plan', 'skipped']],
      );

      const before = await snapshot(shop);
      assert.equal(
        await runRequestStep(
          t.services,
          { tenantId: 'default', requestId: id, step: 'plan' },
          new AbortController().signal,
          DSR_STEP_HANDLERS,
        ),
        'request_not_running',
      );
      assert.equal(await snapshot(shop), before);
    } finally {
      await t.close();
      await shop.close();
      await rm(dataMapDir, { recursive: true, force: true });
    }
  });
});
