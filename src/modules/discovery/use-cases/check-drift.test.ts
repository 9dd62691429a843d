import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { isDomainError } from '../../../kernel/errors/domain-error.ts';
import { loadDataMap } from '../../../platform/datamap/load-datamap.ts';
import { checkDriftFindings } from './check-drift.ts';

let source: TestSourceSystem;
let dir: string;
before(async () => {
  source = await createSourceSystem('postgres', 'app');
  await source.exec(`create table accounts (id int primary key, plan text);
    insert into accounts select g, 'free' from generate_series(1, 30) g;`);
  process.env.CHECK_DRIFT_APP_URL = source.url;
  dir = mkdtempSync(join(tmpdir(), 'steward-check-drift-'));
  writeFileSync(
    join(dir, 'app.yaml'),
    `systems:
  - id: app
    kind: postgres
    connection: { url: env:CHECK_DRIFT_APP_URL }
    collections:
      - name: accounts
        primaryKey: [id]
        fields: [{ name: id }, { name: plan }]
`,
  );
});
after(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

const drift = (options: { sampleSize?: number; systems?: string[] } = {}) =>
  checkDriftFindings(
    { dataMap: loadDataMap([dir]).forTenant('default') },
    { tenantId: 'default', ...options },
  );

test('a migration that adds an undeclared e-mail column is a finding at the collection’s line, gone once declared', async () => {
  const clean = await drift();
  assert.deepEqual(clean.findings, []);
  assert.match(clean.scope, /1 system, 1 table or log sampled \(up to 200 rows each\)/);

  await source.exec(`alter table accounts add column contact_email text;
    update accounts set contact_email = 'owner' || id || '@example.com';`);
  const [finding, ...rest] = (await drift()).findings;
  assert.deepEqual(rest, []);
  assert.equal(finding!.rule, 'discovery.undeclared_field');
  assert.equal(finding!.severity, 'error');
  assert.equal(finding!.file, join(dir, 'app.yaml'));
  assert.equal(finding!.line, 6, 'the line of the collection the field goes into');
  assert.equal(finding!.path, 'systems[app].collections[accounts].fields[contact_email]');
  assert.deepEqual(finding!.properties?.categories, ['user.contact.email']);
  assert.match(finding!.fix, /steward discover app --diff/);
  assert.doesNotMatch(JSON.stringify(finding), /@example/, 'no sampled value in a finding');

  writeFileSync(
    join(dir, 'app.yaml'),
    readFileSync(join(dir, 'app.yaml'), 'utf8').replace(
      '{ name: plan }',
      '{ name: plan }, { name: contact_email, identity: email, categories: [user.contact.email] }',
    ),
  );
  assert.deepEqual((await drift()).findings, []);
});

test('catalog only (sample 0) reads no row yet finds a new personal column by its name, in an empty table', async () => {
  await source.exec(`create table invoices (id int primary key, billing_iban text, total numeric);`);
  const catalog = await drift({ sampleSize: 0 });
  assert.match(catalog.scope, /read from the catalog only/);
  assert.deepEqual(
    catalog.findings.map((f) => [f.rule, f.subject]),
    [['discovery.undeclared_collection', 'app.invoices']],
  );
});

test('an unknown --system is refused with the systems the data map has', async () => {
  await assert.rejects(drift({ systems: ['crm'] }), (error) => {
    assert.ok(isDomainError(error) && error.kind === 'invalid');
    assert.match(error.message, /no database or log system crm \(systems: app\)/);
    return true;
  });
});
