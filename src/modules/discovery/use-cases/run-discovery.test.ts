import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { createDataMapView } from '../../../platform/datamap/datamap-registry.ts';
import { validateDataMapFiles } from '../../../platform/datamap/load-datamap.ts';
import type { DiscoveryDb } from '../store/discovery-runs.ts';
import { listDiscoveryRuns, readDiscoveryRun } from '../store/discovery-runs.ts';
import { runDiscovery } from './run-discovery.ts';

let steward: TestDatabase;
let source: TestSourceSystem;
let dir: string;
before(async () => {
  steward = await createTestDatabase();
  source = await createSourceSystem('mysql', 'shop');
  await source.exec(`create table members (id int primary key, email varchar(200), plan varchar(50))`);
  await source.exec(
    `insert into members values (1, 'a1@example.com', 'free'), (2, 'a2@example.com', 'pro'), (3, 'a3@example.com', 'free')`,
  );
  dir = mkdtempSync(join(tmpdir(), 'steward-discovery-run-'));
  process.env.DISCOVERY_TEST_SHOP_URL = source.url;
  writeFileSync(
    join(dir, 'shop.yaml'),
    `systems:
  - id: shop
    kind: mysql
    connection: { url: env:DISCOVERY_TEST_SHOP_URL }
    collections:
      - name: members
        primaryKey: [id]
        fields:
          - { name: id }
          - { name: email, identity: email, categories: [user.contact.email] }
`,
  );
});
after(async () => {
  await source.close();
  await steward.close();
  rmSync(dir, { recursive: true, force: true });
});

test('runs of a MariaDB system are stored per tenant and compared with the run before', async () => {
  const dataMap = createDataMapView(validateDataMapFiles([dir]).dataMaps[0]!);
  const deps = { dataMap, db: steward.db as unknown as DiscoveryDb };
  const first = await runDiscovery(deps, { tenantId: 'default', system: 'shop', trigger: 'cli' });
  assert.equal(first.comparison!.previousRunId, null);
  assert.deepEqual(first.findings, []);

  // A migration adds a phone column nobody declared.
  await source.exec(`alter table members add column mobile varchar(30)`);
  await source.exec(`update members set mobile = concat('+49 30 1234567', id)`);
  const second = await runDiscovery(deps, {
    tenantId: 'default',
    system: 'shop',
    trigger: 'schedule',
    sampleSize: 50,
  });
  assert.equal(second.comparison!.previousRunId, first.run!.id);
  assert.deepEqual(second.comparison!.appeared, [
    { collection: 'members', field: 'mobile', categories: ['user.contact.phone_number'] },
  ]);
  assert.deepEqual(
    second.findings.map((f) => [f.code, f.field]),
    [['discovery.undeclared_field', 'mobile']],
  );

  const runs = await listDiscoveryRuns(deps.db, 'default', { system: 'shop', limit: 10 });
  assert.deepEqual(
    runs.map((r) => r.id),
    [second.run!.id, first.run!.id],
  );
  assert.deepEqual(runs[0]!.summary.findings, { 'discovery.undeclared_field': 1 });
  const stored = await readDiscoveryRun(deps.db, 'default', second.run!.id);
  assert.equal(stored.columns.find((c) => c.field === 'mobile')!.sampled, 3);
  assert.doesNotMatch(JSON.stringify(stored), /example\.com|\+49/);
});
