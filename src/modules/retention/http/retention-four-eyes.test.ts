import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cron } from 'croner';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { runSteward } from '../../../../test/support/steward-process.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { OPERATOR_ACTOR } from '../../../platform/auth/operator-database.ts';
import { approveRun } from '../use-cases/decide-run.ts';
import { tickScheduler } from '../use-cases/flows/flow-scheduler.ts';

/**
 * Issue 12, item 5: retention runs above a size need a second person. The tenant's policy
 * (auth.separationOfDuties.retentionRunRowsAbove, here 10 rows) holds a real run or a flow's sweep
 * with more rows due in `awaiting_approval`: nothing is removed until someone other than its
 * requester approves it. Tenant "relaxed" turns the rule off. A worker sweeps what is approved, and
 * every outcome is read back from the source system.
 */
const DUE = 30;
const RECENT = 5;
const LEAP_DAY = '0 3 29 2 *';

function collection(name: string): string {
  return `
      - name: ${name}
        primaryKey: [id]
        retention: { keepFor: 1y, anchor: started_at, action: delete }
        fields:
          - { name: id, type: integer }
          - { name: email, type: text, identity: email, categories: [user.contact.email] }
          - { name: started_at, type: timestamp, categories: [user.behavior] }`;
}

function dataMap(tenant: string, system: string, url: string, tables: string[]): string {
  return `
version: 1
tenant: ${tenant}
systems:
  - id: ${system}
    kind: postgres
    connection: { url: ${JSON.stringify(url)} }
    collections:${tables.map(collection).join('')}
`;
}

/** `due` rows three years old and RECENT from yesterday in each table. */
async function seed(source: TestSourceSystem, tables: Record<string, number>): Promise<void> {
  for (const [table, due] of Object.entries(tables))
    await source.exec(`
      CREATE TABLE ${table} (id integer PRIMARY KEY, email text NOT NULL, started_at timestamp NOT NULL);
      INSERT INTO ${table} SELECT g, 'person' || g || '@example.com',
        CASE WHEN g <= ${due} THEN now() - interval '3 years' ELSE now() - interval '1 day' END
        FROM generate_series(1, ${due + RECENT}) g;
    `);
}

async function rowsIn(source: TestSourceSystem, table: string): Promise<number> {
  return Number((await source.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
}

interface RunJson {
  id: string;
  state: string;
  error: string | null;
  approval: {
    rowsDue: number;
    rowsAbove: number;
    requestedBy: { kind: string; id: string };
    decision: { outcome: string; by: { kind: string; id: string }; reason: string | null } | null;
  } | null;
}
interface FlowRunJson {
  id: string;
  state: string;
  tasks: { id: string; state: string; runId?: string; error?: string }[];
}

describe('four eyes on large retention runs', () => {
  let source: TestSourceSystem;
  let relaxedSource: TestSourceSystem;
  let t: TestApp;
  let server: string;
  let cliFolder: string;

  before(async () => {
    source = await createSourceSystem('postgres', 'app');
    relaxedSource = await createSourceSystem('postgres', 'relaxed');
    await seed(source, { sessions: DUE, tokens: 4, events: DUE, visits: DUE });
    await seed(relaxedSource, { sessions: DUE });
    const root = mkdtempSync(join(tmpdir(), 'steward-four-eyes-'));
    mkdirSync(join(root, 'datamap'));
    mkdirSync(join(root, 'flows'));
    writeFileSync(
      join(root, 'datamap', 'app.yaml'),
      dataMap('default', 'app', source.url, ['sessions', 'tokens', 'events', 'visits']),
    );
    writeFileSync(
      join(root, 'datamap', 'relaxed.yaml'),
      dataMap('relaxed', 'relaxed-app', relaxedSource.url, ['sessions']),
    );
    // A schedule that fires only on 29 February, so only the test's own scheduler tick fires it.
    writeFileSync(
      join(root, 'flows', 'leap-day.yaml'),
      `id: leap-day\ntriggers:\n  - { cron: "${LEAP_DAY}", timezone: UTC }\ntasks:\n  - { id: sweep-events, type: retention.sweep, systems: [app], collections: [app.events] }\n`,
    );
    t = await startTestApp({
      config: {
        datamap: { path: join(root, 'datamap') },
        retention: { flowsPath: join(root, 'flows'), stewardData: { enabled: false }, sweep: { pauseMs: 0 } },
        auth: {
          separationOfDuties: {
            retentionRunRowsAbove: 10,
            tenants: { relaxed: { retentionRunRowsAbove: false } },
          },
        },
      },
      work: true,
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    server = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    cliFolder = mkdtempSync(join(tmpdir(), 'steward-four-eyes-cli-'));
  });
  after(async () => {
    await t?.close();
    await source?.close();
    await relaxedSource?.close();
  });

  const officer = () => t.headers('privacy_officer');
  const keyIdOf = async (name: string) =>
    (
      await t.database.db
        .selectFrom('api_keys')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;
  /** Another privacy officer's key, issued by the owner: the second pair of eyes. */
  const secondOfficer = async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/apikeys',
      headers: await t.headers('owner'),
      payload: { name: `second officer ${Math.random()}`, role: 'privacy_officer' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json() as { key: string; apiKey: { id: string } };
    return { headers: { authorization: `Bearer ${body.key}` }, id: body.apiKey.id, key: body.key };
  };
  const post = (url: string, headers: Record<string, string>, payload: object = {}) =>
    t.app.inject({ method: 'POST', url, headers, payload });
  const startRun = async (headers: Record<string, string>, collection: string) => {
    const response = await post('/v1/retention/runs', headers, { targets: [{ system: 'app', collection }] });
    assert.equal(response.statusCode, 202, response.body);
    return response.json() as RunJson;
  };
  const untilState = async <T extends { state: string }>(url: string, wanted: (state: string) => boolean) => {
    const headers = await t.headers('auditor');
    for (let i = 0; i < 300; i++) {
      const current = (await t.app.inject({ method: 'GET', url, headers })).json() as T;
      if (wanted(current.state)) return current;
      await sleep(100);
    }
    throw new Error(`${url} did not reach the state wanted`);
  };
  const finished = (state: string) => ['completed', 'failed', 'cancelled', 'rejected'].includes(state);
  const audited = async (action: string) => {
    const rows = [
      ...(await t.database.db
        .selectFrom('audit_pending')
        .select('body as entry')
        .where('action', '=', action)
        .execute()),
      ...(await t.database.db
        .selectFrom('audit_entries')
        .select('entry')
        .where('action', '=', action)
        .execute()),
    ];
    return rows.map(
      (r) => JSON.parse(r.entry) as { actor: { kind: string; id: string }; object: { id: string } },
    );
  };
  const eventsOfType = async (type: string) =>
    (await t.database.db.selectFrom('event_outbox').select('data').where('type', '=', type).execute()).map(
      (e) => e.data as { runId: string },
    );

  test('a run with more rows due than the policy allows waits; its requester cannot approve it, a second officer can, then it sweeps', async () => {
    const held = await startRun(await officer(), 'sessions');
    assert.equal(held.state, 'awaiting_approval');
    const requester = await keyIdOf('test privacy_officer@default');
    assert.deepEqual(held.approval, {
      rowsDue: DUE,
      rowsAbove: 10,
      requestedBy: { kind: 'api_key', id: requester },
      decision: null,
    });
    const listed = await t.app.inject({
      method: 'GET',
      url: '/v1/retention/runs?state=awaiting_approval',
      headers: await t.headers('auditor'),
    });
    assert.deepEqual(
      listed.json().items.map((r: { id: string }) => r.id),
      [held.id],
    );
    assert.deepEqual(
      (await eventsOfType('retention.run.awaiting_approval')).map((e) => e.runId),
      [held.id],
    );
    await sleep(1500); // a worker that wrongly swept it would have started by now
    assert.equal(await rowsIn(source, 'sessions'), DUE + RECENT, 'nothing is removed while it waits');

    const selfApproval = await post(`/v1/retention/runs/${held.id}/approve`, await officer());
    assert.equal(selfApproval.statusCode, 403, selfApproval.body);
    assert.equal(selfApproval.json().code, 'retention.four_eyes');
    assert.deepEqual(selfApproval.json().details.roles, ['requester']);
    assert.match(selfApproval.json().detail, /needs a second person: you are its requester/);

    await assert.rejects(
      approveRun(t.services, held.id, { tenantId: 'default', actor: OPERATOR_ACTOR }),
      (error: Error & { code?: string }) =>
        error.code === 'retention.four_eyes' && /system steward-cli is not one/.test(error.message),
      "the CLI's one operator identity is nobody's second person",
    );

    const second = await secondOfficer();
    const approved = await post(`/v1/retention/runs/${held.id}/approve`, second.headers);
    assert.equal(approved.statusCode, 200, approved.body);
    const decision = (approved.json() as RunJson).approval!.decision!;
    assert.deepEqual([decision.outcome, decision.by], ['approved', { kind: 'api_key', id: second.id }]);

    const done = await untilState<RunJson>(`/v1/retention/runs/${held.id}`, finished);
    assert.equal(done.state, 'completed', JSON.stringify(done));
    assert.equal(await rowsIn(source, 'sessions'), RECENT, 'the worker removed exactly the rows due');
    assert.deepEqual(
      (await audited('retention.run.approved')).map((e) => [e.object.id, e.actor.id]),
      [[held.id, second.id]],
    );
    assert.deepEqual(
      (await eventsOfType('retention.run.approved')).map((e) => e.runId),
      [held.id],
    );

    const again = await post(`/v1/retention/runs/${held.id}/approve`, second.headers);
    assert.equal(again.statusCode, 409, 'a run is approved once');
    assert.equal(again.json().code, 'retention.run_not_awaiting_approval');
  });

  test('a run within the limit starts at once', async () => {
    const run = await startRun(await officer(), 'tokens');
    assert.notEqual(run.state, 'awaiting_approval');
    assert.equal(run.approval, null);
    assert.equal((await untilState<RunJson>(`/v1/retention/runs/${run.id}`, finished)).state, 'completed');
    assert.equal(await rowsIn(source, 'tokens'), RECENT);
  });

  test('a tenant whose policy is off runs a large run at once', async () => {
    const response = await post('/v1/retention/runs', await t.headers('privacy_officer', 'relaxed'), {});
    assert.equal(response.statusCode, 202, response.body);
    const run = response.json() as RunJson;
    assert.equal(run.approval, null);
    const headers = await t.headers('auditor', 'relaxed');
    for (let i = 0; i < 300 && (await rowsIn(relaxedSource, 'sessions')) > RECENT; i++) await sleep(100);
    const done = (await t.app.inject({ method: 'GET', url: `/v1/retention/runs/${run.id}`, headers })).json();
    assert.equal(done.state, 'completed');
    assert.equal(await rowsIn(relaxedSource, 'sessions'), RECENT);
  });

  test('the person who runs a flow by hand cannot approve its large sweep; rejecting it fails the flow and removes nothing', async () => {
    const started = await post('/v1/retention/flows/leap-day/runs', await officer(), { dryRun: false });
    assert.equal(started.statusCode, 202, started.body);
    const waiting = await untilState<FlowRunJson>(
      `/v1/retention/flow-runs/${started.json().id}`,
      (state) => state === 'awaiting_approval',
    );
    const task = waiting.tasks[0]!;
    assert.equal(task.state, 'awaiting_approval');
    const sweep = (
      await t.app.inject({ method: 'GET', url: `/v1/retention/runs/${task.runId}`, headers: await officer() })
    ).json() as RunJson;
    assert.deepEqual(sweep.approval!.requestedBy, {
      kind: 'api_key',
      id: await keyIdOf('test privacy_officer@default'),
    });
    assert.equal((await post(`/v1/retention/runs/${task.runId}/approve`, await officer())).statusCode, 403);

    const noReason = await post(`/v1/retention/runs/${task.runId}/reject`, await officer(), { reason: '' });
    assert.equal(noReason.statusCode, 400, 'a rejection says why');
    const rejected = await post(`/v1/retention/runs/${task.runId}/reject`, await officer(), {
      reason: 'the events rule is being changed',
    });
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(rejected.json().state, 'rejected');

    const ended = await untilState<FlowRunJson>(`/v1/retention/flow-runs/${started.json().id}`, finished);
    assert.equal(ended.state, 'failed');
    assert.match(ended.tasks[0]!.error!, /rejected: the events rule is being changed/);
    assert.equal(await rowsIn(source, 'events'), DUE + RECENT);
    assert.equal((await audited('retention.run.rejected')).length, 1);
  });

  test("a scheduled flow's large sweep, requested by the flow, waits with its flow run until a person approves it", async () => {
    const now = new Date();
    await tickScheduler(t.services, now); // the trigger is seen (its count starts now)
    const fireTime = new Cron(LEAP_DAY, { paused: true, timezone: 'UTC' }).nextRun(now)!;
    const tick = await tickScheduler(t.services, new Date(fireTime.getTime() + 60_000));
    assert.equal(tick.flowRuns, 1);
    const flowRun = await t.database.db
      .selectFrom('retention_flow_runs')
      .select('id')
      .where('flow_id', '=', 'leap-day')
      .where('trigger', '=', 'schedule')
      .executeTakeFirstOrThrow();
    const waiting = await untilState<FlowRunJson>(
      `/v1/retention/flow-runs/${flowRun.id}`,
      (state) => state === 'awaiting_approval',
    );
    const runId = waiting.tasks[0]!.runId!;
    const sweep = (
      await t.app.inject({ method: 'GET', url: `/v1/retention/runs/${runId}`, headers: await officer() })
    ).json() as RunJson;
    assert.deepEqual(sweep.approval!.requestedBy, { kind: 'system', id: 'flow:leap-day' });
    assert.equal(await rowsIn(source, 'events'), DUE + RECENT);

    const approved = await post(`/v1/retention/runs/${runId}/approve`, await officer());
    assert.equal(approved.statusCode, 200, 'no person asked for it: any officer may approve');
    const ended = await untilState<FlowRunJson>(`/v1/retention/flow-runs/${flowRun.id}`, finished);
    assert.equal(ended.state, 'completed', JSON.stringify(ended));
    assert.equal(ended.tasks[0]!.state, 'done');
    assert.equal(await rowsIn(source, 'events'), RECENT);
  });

  test('the CLI in remote mode: a large run waits, its requester is refused, a second officer approves it', async () => {
    const second = await secondOfficer();
    const as = (key: string, ...args: string[]) =>
      runSteward(['--server', server, ...args], {
        cwd: cliFolder,
        env: { STEWARD_PROFILES: join(cliFolder, 'profiles.json'), STEWARD_API_KEY: key },
      });
    const officerKey = (await officer()).authorization!.slice('Bearer '.length);
    const requested = await as(officerKey, '--yes', '--json', 'retention', 'run', 'app.visits');
    assert.equal(requested.code, 0, requested.stderr);
    const run = JSON.parse(requested.stdout) as RunJson;
    assert.equal(run.state, 'awaiting_approval');

    const self = await as(officerKey, '--yes', 'retention', 'approve', run.id);
    assert.equal(self.code, 77, 'forbidden: EX_NOPERM');
    assert.match(self.stderr, /needs a second person: you are its requester/);

    // Approving lets the run delete: from a script it needs --yes, and without it nothing changes.
    const unconfirmed = await as(second.key, 'retention', 'approve', run.id);
    assert.equal(unconfirmed.code, 65, unconfirmed.stderr);
    assert.match(unconfirmed.stderr, /lets it remove about [\d,]+ rows.*Add --yes/s);
    const stillWaiting = (
      await t.app.inject({ method: 'GET', url: `/v1/retention/runs/${run.id}`, headers: await officer() })
    ).json() as RunJson;
    assert.equal(stillWaiting.state, 'awaiting_approval');

    const approved = await as(second.key, '--yes', 'retention', 'approve', run.id);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, new RegExp(`Run ${run.id} approved`));
    assert.equal((await untilState<RunJson>(`/v1/retention/runs/${run.id}`, finished)).state, 'completed');
    assert.equal(await rowsIn(source, 'visits'), RECENT);
  });
});
