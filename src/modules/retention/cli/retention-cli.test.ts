import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { aConfigFile, runSteward } from '../../../../test/support/steward-process.ts';
import { aDemoShopDatabase, createPostgresDatabase } from '../../../../test/support/test-database.ts';

/**
 * What a newcomer does with the demo shop: list the flows, dry-run the shop's flow, look at one
 * rule, run the flow for real, then read the compliance report. Real `steward` processes on the
 * run's backend, with a small demo shop.
 */
let root: string;
let configFile: string;
let steward: { url?: string; drop?: () => Promise<void> } = {};
/** The test's own shop: the default `steward_demo_shop` is shared by every test run on this server. */
const shop = aDemoShopDatabase();

before(async () => {
  steward = await createPostgresDatabase();
  root = mkdtempSync(join(tmpdir(), 'steward-retention-cli-'));
  configFile = aConfigFile({
    database: { url: steward.url },
    datamap: { path: join(root, 'datamap') },
    demo: { database: shop.name, dataDir: join(root, 'demo'), people: 60 },
    dsr: { dataDir: join(root, 'dsr') },
    retention: { flowsPath: join(root, 'flows') },
  });
});
after(async () => {
  await steward.drop?.();
  await shop.drop();
});

const steward_ = (args: string[]) => runSteward([...args, '--config', configFile], { timeoutMs: 120_000 });

test('a newcomer lists the flows, dry-runs the demo shop flow and a rule, runs the flow, and reads the report', async () => {
  const list = await steward_(['flows', 'list', '--demo']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(
    list.stdout,
    /default\/shop-retention {2}nightly: 30 2 \* \* \* Europe\/Berlin \(recover missed: LAST\), next /,
  );
  assert.match(list.stdout, /default\/steward-data/);

  const dryRun = await steward_(['flows', 'run', 'shop-retention', '--demo', '--dry-run', '--json']);
  assert.equal(dryRun.code, 0, dryRun.stderr);
  const planned = JSON.parse(dryRun.stdout);
  assert.equal(planned.state, 'completed');
  const sweep = planned.tasks.find((t: { id: string }) => t.id === 'sweep-shop');
  assert.equal(sweep.result.rowsDeleted + sweep.result.rowsAnonymised, 0, 'a dry run changes nothing');
  assert.ok(sweep.result.rowsDue > 0, 'the demo shop has expired rows');

  const rule = await steward_(['retention', 'dry-run', 'shop.marketing_events', '--demo', '--json']);
  assert.equal(rule.code, 0, rule.stderr);
  const events = JSON.parse(rule.stdout);
  assert.equal(events.rule, 'delete after 3y since occurred_at');
  assert.ok(events.rowsDue > 0);
  assert.ok(events.sampleKeys.length > 0);

  // A real run removes data: from a script (no terminal) it is refused until --yes says so.
  const unconfirmed = await steward_(['flows', 'run', 'shop-retention', '--demo']);
  assert.equal(unconfirmed.code, 65, unconfirmed.stderr);
  assert.match(
    unconfirmed.stderr,
    /^steward: Flow shop-retention deletes or anonymises [\d,]+ row\(s\) due now in \d+ of the \d+ collection\(s\) it sweeps:\n.*shop\.sessions/s,
  );
  assert.match(unconfirmed.stderr, /It also purges Steward's own expired data/);
  assert.match(unconfirmed.stderr, /Not run: there is no terminal to confirm on\. Add --yes/);
  const stillDue = await steward_(['retention', 'dry-run', 'shop.marketing_events', '--demo', '--json']);
  assert.equal(JSON.parse(stillDue.stdout).rowsDue, events.rowsDue, 'the refused run removed nothing');

  const run = await steward_(['flows', 'run', 'shop-retention', '--demo', '--yes', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const done = JSON.parse(run.stdout);
  assert.equal(done.state, 'completed', run.stdout);
  const swept = done.tasks.find((t: { id: string }) => t.id === 'sweep-shop').result;
  assert.ok(swept.rowsDeleted > 0);
  assert.equal(
    swept.rowsDeleted + swept.rowsAnonymised + swept.rowsKept,
    swept.rowsDue,
    'every due row was deleted, anonymised or kept for a reason',
  );

  const report = await steward_(['retention', 'report', '--demo', '--json']);
  assert.equal(report.code, 0, report.stderr);
  const compliance = JSON.parse(report.stdout);
  const byName = Object.fromEntries(
    compliance.collections.map((c: { collection: string }) => [c.collection, c]),
  );
  assert.equal(byName.addresses.flag, 'no_rule', 'personal data without a rule is flagged');
  assert.equal(byName.sessions.rule, 'delete after 13m since started_at');
  assert.equal(byName.sessions.rowsOverdue, 0, 'nothing overdue right after the sweep');
  assert.equal(byName.sessions.nextRun.flowId, 'shop-retention');
  assert.ok(byName.sessions.oldestRecord.ageDays < 13 * 31);

  const text = await steward_(['retention', 'runs']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /completed/);
});

test('flows validate names the file, the key and the fix; exit code 65', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'steward-bad-flow-'));
  writeFileSync(
    join(folder, 'bad.yaml'),
    'id: bad\ntriggers:\n  - { cron: "61 * * * *" }\ntasks:\n  - { id: sweep, type: retention.sweep, systems: [nowhere] }\n',
  );
  const result = await steward_(['flows', 'validate', folder]);
  assert.equal(result.code, 65);
  assert.match(result.stderr, /bad\.yaml \(triggers\.0\.cron\): must be a cron expression/);
});

test('a dry run of a collection without a rule says how to try one from the CLI', async () => {
  const noRule = await steward_(['retention', 'dry-run', 'shop.addresses', '--demo']);
  assert.equal(noRule.code, 66, noRule.stderr);
  assert.match(
    noRule.stderr,
    /^steward: shop\.addresses has no retention rule\. Add `retention:` to the collection in the data map, or try one first: `steward retention dry-run shop\.addresses --keep-for 6m --anchor <date field> --action delete`/,
  );
  const tried = await steward_([
    'retention',
    'dry-run',
    'shop.addresses',
    '--demo',
    '--keep-for',
    '6m',
    '--anchor',
    'id',
    '--action',
    'delete',
  ]);
  // The suggested options are the command's own: the rule is read and judged (addresses has no date).
  assert.equal(tried.code, 65, tried.stderr);
  assert.match(tried.stderr, /anchor "id" has type integer, not a date or timestamp/);
});
