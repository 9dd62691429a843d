import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { aConfigFile, runSteward } from '../../../../test/support/steward-process.ts';
import { createPostgresDatabase, testDatabaseConfig } from '../../../../test/support/test-database.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { migrateSteward } from '../../../app/start-steward.ts';
import { openDatabase } from '../../../kernel/database/open-database.ts';
import {
  SHOP_DATA_SQL,
  shopDataMap,
  shopDataMapYaml,
  shopSchemaSql,
} from '../use-cases/execution/test-shop-fixture.ts';
import { journalHasher, recordErasure } from '../use-cases/journal/record-erasure.ts';
import { planErasure } from '../core/planning/plan-erasure.ts';
import { keyringFromSecret } from '../use-cases/requests/dsr-keyring.ts';

const DSR_KEY = 'cli-test-dsr-key-0123456789abcdefghijklmnop';
let source: TestSourceSystem;
let steward: { url?: string; drop?: () => Promise<void> } = {};
let configFile: string;
let env: Record<string, string>;
/** Where the CLI's Steward database is: the test opens it too, between two CLI runs. */
let stewardDatabase: ReturnType<typeof testDatabaseConfig>;

before(async () => {
  source = await createSourceSystem('postgres', 'shop');
  await source.exec(shopSchemaSql('postgres'));
  await source.exec(SHOP_DATA_SQL);
  steward = await createPostgresDatabase();
  const root = mkdtempSync(join(tmpdir(), 'steward-dsr-cli-'));
  mkdirSync(join(root, 'datamap'));
  writeFileSync(
    join(root, 'datamap', 'shop.yaml'),
    shopDataMapYaml('postgres', '{ url: env:TEST_SHOP_URL }'),
  );
  stewardDatabase = testDatabaseConfig(join(root, 'db'), steward.url);
  configFile = aConfigFile({
    database: steward.url ? { url: steward.url } : { dataDir: join(root, 'db') },
    datamap: { path: join(root, 'datamap') },
    dsr: { keyRef: 'env:TEST_DSR_KEY', dataDir: join(root, 'dsr') },
  });
  env = {
    TEST_SHOP_URL: source.url!,
    TEST_SHOP_HMAC_KEY: 'test-shop-hmac-key-0123456789abcdef',
    TEST_DSR_KEY: DSR_KEY,
  };
});
after(async () => {
  await source.close();
  await steward.drop?.();
});

test('`steward dsr plan` shows the erasure plan with statements and live row estimates', async () => {
  const json = await runSteward(
    [
      '--config',
      configFile,
      '--json',
      'dsr',
      'plan',
      '--type',
      'erasure',
      '--email',
      'Ann@Example.com',
      '--estimate',
    ],
    { env },
  );
  assert.equal(json.code, 0, json.stderr);
  const plan = JSON.parse(json.stdout);
  assert.deepEqual(plan.errors, []);
  assert.deepEqual(
    Object.fromEntries(
      plan.systems[0].steps.map((s: { collection: string; estimatedRows: number }) => [
        s.collection,
        s.estimatedRows,
      ]),
    ),
    {
      customers: 2,
      addresses: 2,
      orders: 2,
      preferences: 2,
      comments: 2,
      signups: 3,
      page_views: 3,
      order_items: 3,
      payments: 2,
    },
  );
  const text = await runSteward(
    ['--config', configFile, 'dsr', 'plan', '--type', 'erasure', '--email', 'Ann@Example.com'],
    { env },
  );
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /Statements, in order:\n\s+1\. mask customers: UPDATE "customers" SET "email" = CASE WHEN "id" = \$1/,
  );
  assert.match(text.stdout, /payments: keep; hold Art\. 17\(3\)\(b\) 10y from paid_at/);
  assert.doesNotMatch(text.stdout, /ann@example\.com/i, 'identity values are not printed');
});

test('`steward dsr replay-erasures --since` applies the journalled erasures to the data as it is', async () => {
  // An erasure journalled after the "backup" whose effect is not in the data (as after a restore).
  const db = await openDatabase(stewardDatabase);
  try {
    await migrateSteward(db);
    const plan = planErasure(shopDataMap('postgres', '{ url: env:TEST_SHOP_URL }'), {
      email: ['ann@example.com'],
    });
    await recordErasure(
      db.db,
      { tenantId: 'default', plan, reports: [], requestId: 'r1', erasedAt: new Date('2026-05-02T00:00:00Z') },
      journalHasher(keyringFromSecret(DSR_KEY), 'default'),
    );
  } finally {
    await db.close();
  }
  const result = await runSteward(
    ['--config', configFile, '--json', 'dsr', 'replay-erasures', '--since', '2026-05-01'],
    { env },
  );
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual(
    report.outcomes.map((o: { outcome: string }) => o.outcome),
    ['erased'],
  );
  assert.deepEqual(
    (await source.query('SELECT id FROM customers ORDER BY id')).map((r) => Number(r.id)),
    [1, 3],
  );
});
