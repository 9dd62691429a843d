import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { startTestApp, type TestApp } from '../../../../../test/support/test-app.ts';
import {
  createSourceSystem,
  type TestSourceSystem,
} from '../../../../../test/support/test-source-systems.ts';
import { EXPECTED, seedRetentionFixture, writeFixtureFolders } from '../../test-support/retention-fixture.ts';
import { executeFlowRun } from './execute-flow-run.ts';
import { createFlowRun } from './flow-run-store.ts';
import { FLOW_SCHEMA_FILE, flowJsonSchema } from './flow-json-schema.ts';
import { tickScheduler } from './flow-scheduler.ts';
import { findFlow, loadFlows } from './load-flows.ts';
import { DEMO_SHOP_FLOW } from '../../../demo/api.ts';

const messages0 = (problems: { file: string; path: string; message: string }[]) =>
  problems.map((p) => `${p.file.split('/').pop()} ${p.path}: ${p.message}`);

const SCHEMAS = join(import.meta.dirname, '..', '..', '..', '..', '..', 'schemas');

test('schemas/flow.schema.json is up to date (run `npm run schemas`) and accepts the demo shop flow', () => {
  assert.deepEqual(JSON.parse(readFileSync(join(SCHEMAS, FLOW_SCHEMA_FILE), 'utf8')), flowJsonSchema());
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(flowJsonSchema());
  assert.ok(validate(parse(readFileSync(DEMO_SHOP_FLOW, 'utf8'))), JSON.stringify(validate.errors));
  assert.equal(
    validate({ id: 'x', tasks: [{ id: 'a', type: 'retention.sweep', systems: 'everything' }] }),
    false,
  );
});

const NIGHTLY = `
id: nightly
description: Sweep the app every night and tell the team when something failed.
triggers:
  - { cron: "0 3 * * *", timezone: UTC }
tasks:
  - { id: sweep-app, type: retention.sweep, systems: [app], onFailure: notify }
  - { id: sweep-gone, type: retention.sweep, systems: [gone], onFailure: notify }
  - { id: purge, type: steward.purge, onFailure: continue }
  - { id: report, type: retention.report }
  - { id: tell, type: notify, when: failure, message: "A retention task failed." }
`;
// Kestra's spelling: triggers with id and Kestra's type, recoverMissedSchedules, allowFailure and the
// flow's errors tasks. Disabled, so the scheduler tests do not see it; it is run by hand.
const KESTRA_STYLE = `
id: kestra-style
namespace: default
disabled: true
triggers:
  - id: nightly-3am
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 3 * * *"
    timezone: Europe/Berlin
    recoverMissedSchedules: LAST
tasks:
  - { id: report-first, type: retention.report, allowFailure: true }
  - { id: sweep-gone, type: retention.sweep, systems: [gone] }
  - { id: report-after, type: retention.report }
errors:
  - { id: alert, type: notify, message: "The kestra-style flow failed." }
`;
const BOTH_NAMES = `
id: both-names
triggers:
  - { cron: "0 3 * * *", catchUp: true, recoverMissedSchedules: NONE }
tasks:
  - { id: report, type: retention.report, onFailure: continue, allowFailure: true }
`;
const CATCH_UP = `
id: catch-up
triggers:
  - { cron: "0 3 * * *", timezone: UTC, catchUp: true }
tasks:
  - { id: report, type: retention.report }
`;
const BROKEN = `
id: broken
triggers:
  - { cron: "every night", timezone: Mars/Olympus }
tasks:
  - { id: a, type: retention.sweep, systems: [nowhere] }
  - { id: a, type: notify, message: hi }
`;
const UNKNOWN_RULE = `
id: unknown-rule
tasks:
  - { id: a, type: retention.sweep, systems: [app], collections: [app.nothing] }
`;
const GONE_SYSTEM = `
version: 1
systems:
  - id: gone
    kind: postgres
    connection: { url: "postgres://postgres@127.0.0.1:5432/steward_no_such_database", connectTimeoutMs: 2000 }
    collections:
      - name: logs
        primaryKey: [id]
        retention: { keepFor: 30d, anchor: at, action: delete }
        fields:
          - { name: id, type: integer }
          - { name: email, type: text, identity: email, categories: [user.contact.email] }
          - { name: at, type: timestamp }
      - name: signups
        primaryKey: [id]
        fields:
          - { name: id, type: integer }
          - { name: email, type: text, identity: email, categories: [user.contact.email] }
          - { name: created_at, type: timestamp }
`;

describe('privacy flows', () => {
  let source: TestSourceSystem;
  let testApp: TestApp;
  before(async () => {
    source = await createSourceSystem('postgres', 'app');
    await seedRetentionFixture(source);
    const folders = writeFixtureFolders('postgres', source.url, {
      'nightly.yaml': NIGHTLY,
      'catch-up.yaml': CATCH_UP,
      'broken.yaml': BROKEN,
      'unknown-rule.yml': UNKNOWN_RULE,
      'kestra-style.yaml': KESTRA_STYLE,
      'both-names.yaml': BOTH_NAMES,
    });
    writeFileSync(join(folders.datamap, 'gone.yaml'), GONE_SYSTEM);
    testApp = await startTestApp({
      config: {
        datamap: { path: folders.datamap },
        retention: {
          flowsPath: folders.flows,
          stewardData: { enabled: false },
          sweep: { batchSize: 5, pauseMs: 0 },
        },
      },
    });
  });
  after(async () => {
    await testApp?.close();
    await source?.close();
  });

  test('invalid flow files are reported with the file, the key and what is wrong; valid ones load', () => {
    const { flows, problems } = loadFlows(testApp.services.config, testApp.services.dataMaps);
    assert.deepEqual(flows.map((f) => f.flow.id).sort(), ['catch-up', 'kestra-style', 'nightly']);
    assert.ok(
      messages0(problems).includes(
        'both-names.yaml triggers.0: give recoverMissedSchedules or the deprecated catchUp, not both',
      ),
    );
    assert.ok(
      messages0(problems).includes(
        'both-names.yaml tasks.0: give allowFailure or the deprecated onFailure, not both',
      ),
    );
    const messages = problems.map((p) => `${p.file.split('/').pop()} ${p.path}: ${p.message}`);
    assert.ok(
      messages.some((m) => m.startsWith('broken.yaml triggers.0.cron: must be a cron expression')),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.startsWith('broken.yaml triggers.0.timezone: must be an IANA time zone')),
    );
    assert.ok(messages.some((m) => m === 'broken.yaml tasks: task ids must be unique within the flow'));
    assert.ok(
      messages.some(
        (m) =>
          m === 'unknown-rule.yml tasks.0.collections.0: app.nothing is not a collection of the data map',
      ),
    );
    assert.throws(
      () => findFlow(testApp.services.config, testApp.services.dataMaps, 'unknown-rule'),
      /Flow "unknown-rule" is invalid/,
    );
  });

  test('a schedule fires once per fire time; missed fire times are skipped, or caught up when the trigger says so', async () => {
    const db = testApp.database.db;
    const first = await tickScheduler(testApp.services, new Date('2026-01-01T00:00:00Z'));
    assert.equal(first.flowRuns, 0, 'a trigger seen for the first time starts counting now');
    const afterDowntime = await tickScheduler(testApp.services, new Date('2026-01-03T03:01:00Z'));
    const runs = await db
      .selectFrom('retention_flow_runs')
      .select(['flow_id', 'trigger', 'scheduled_for'])
      .orderBy('flow_id')
      .orderBy('scheduled_for')
      .execute();
    assert.deepEqual(
      runs.map((r) => `${r.flow_id} ${r.trigger} ${r.scheduled_for?.toISOString()}`),
      [
        'catch-up catch_up 2026-01-01T03:00:00.000Z',
        'catch-up catch_up 2026-01-02T03:00:00.000Z',
        'catch-up schedule 2026-01-03T03:00:00.000Z',
        'nightly schedule 2026-01-03T03:00:00.000Z',
      ],
    );
    assert.equal(afterDowntime.skippedFireTimes, 2, "nightly's two missed fire times");
    const again = await tickScheduler(testApp.services, new Date('2026-01-03T03:01:30Z'));
    assert.equal(again.flowRuns, 0, 'the same fire time never runs twice');
  });

  test('the compliance report gives each collection with personal data its rule, oldest record, overdue rows and next run, and flags the one without a rule', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/v1/retention/report',
      headers: await testApp.headers('auditor'),
    });
    assert.equal(response.statusCode, 200, response.body);
    const report = response.json();
    const entry = (name: string) =>
      report.collections.find((c: { collection: string }) => c.collection === name);
    assert.deepEqual(entry('tickets').rule, 'delete after 2y since created_at');
    assert.equal(entry('tickets').rowsOverdue, 12);
    assert.ok(entry('tickets').oldestRecord.ageDays > 5 * 365);
    assert.equal(entry('tickets').nextRun.flowId, 'nightly');
    assert.match(entry('tickets').nextRun.at, /T03:00:00\.000Z$/);
    assert.equal(entry('signups').flag, 'no_rule');
    assert.equal(entry('logs').rowsOverdue, null);
    assert.ok(entry('logs').problems.length > 0, 'an unreachable system is reported, not hidden');
    assert.deepEqual([report.summary.withoutRule, report.summary.rowsOverdue > 0], [1, true]);
    assert.ok(!response.body.includes('@example.com'));
  });

  test('a flow runs its tasks in order; a failing sweep notifies and the flow goes on, then reports the failure', async () => {
    const { flow } = findFlow(testApp.services.config, testApp.services.dataMaps, 'nightly');
    const id = (await createFlowRun(testApp.services, {
      flow,
      trigger: 'manual',
      dryRun: false,
      actor: { kind: 'system', id: 'test' },
      enqueue: false,
    }))!;
    const run = await executeFlowRun(testApp.services, 'default', id);
    assert.equal(run.state, 'failed');
    assert.deepEqual(
      run.tasks.map((t) => `${t.id}:${t.state}`),
      ['sweep-app:done', 'sweep-gone:failed', 'purge:done', 'report:done', 'tell:done'],
    );
    assert.equal(
      run.tasks[0]!.result!.rowsDeleted,
      EXPECTED.repliesDeleted + EXPECTED.ticketsDeleted + EXPECTED.visitsDeleted + EXPECTED.invoicesDeleted,
    );
    assert.match(run.tasks[1]!.error!, /gone\.logs: .*cannot be reached|gone\.logs: .*does not exist/);
    assert.equal(run.tasks[3]!.result!.withoutRule, 1);
    const events = await testApp.database.db
      .selectFrom('event_outbox')
      .select(['type', 'data'])
      .where('source', '=', 'retention')
      .execute();
    const types = events.map((e) => e.type);
    assert.ok(types.includes('retention.flow.task_failed'));
    assert.ok(types.includes('retention.flow.notification'));
    assert.ok(types.includes('retention.flow.failed'));
    const again = await executeFlowRun(testApp.services, 'default', id);
    assert.equal(again.state, 'failed', 'a finished flow run is not executed twice');
  });

  test("Kestra's names: trigger id and type, recoverMissedSchedules, allowFailure, and errors tasks that run when the flow fails", async () => {
    const { flow } = findFlow(testApp.services.config, testApp.services.dataMaps, 'kestra-style');
    assert.deepEqual(flow.triggers, [
      {
        id: 'nightly-3am',
        type: 'schedule',
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
        recoverMissedSchedules: 'LAST',
        catchUp: true,
        maxCatchUp: 1,
      },
    ]);
    const nightly = findFlow(testApp.services.config, testApp.services.dataMaps, 'nightly').flow;
    assert.deepEqual(
      [nightly.triggers[0]!.id, nightly.triggers[0]!.recoverMissedSchedules, nightly.tasks[2]!.allowFailure],
      ['schedule', 'NONE', true],
      'the deprecated names still work: a trigger without id is "schedule", onFailure: continue allows failure',
    );
    const id = (await createFlowRun(testApp.services, {
      flow,
      trigger: 'manual',
      dryRun: true,
      actor: { kind: 'system', id: 'test' },
      enqueue: false,
    }))!;
    const run = await executeFlowRun(testApp.services, 'default', id);
    assert.equal(run.state, 'failed');
    assert.deepEqual(
      run.tasks.map((t) => `${t.id}:${t.state}`),
      ['report-first:done', 'sweep-gone:failed', 'report-after:skipped', 'alert:done'],
    );
  });

  test('a dry run of a flow counts and samples, and deletes nothing', async () => {
    await source.exec("INSERT INTO visits VALUES (1, '10.9.9.9', '2020-01-01 00:00:00')");
    const { flow } = findFlow(testApp.services.config, testApp.services.dataMaps, 'nightly');
    const id = (await createFlowRun(testApp.services, {
      flow,
      trigger: 'manual',
      dryRun: true,
      actor: { kind: 'system', id: 'test' },
      enqueue: false,
    }))!;
    const run = await executeFlowRun(testApp.services, 'default', id);
    // The new visit is due; the two old tickets still answered by recent replies would be kept.
    assert.equal(run.tasks[0]!.result!.rowsDue, 1);
    assert.equal(run.tasks[0]!.result!.rowsKept, EXPECTED.ticketsKept);
    assert.equal(run.tasks[0]!.result!.rowsDeleted, 0);
    assert.equal(Number((await source.query<{ n: unknown }>('SELECT count(*) AS n FROM visits'))[0]!.n), 11);
  });
});
