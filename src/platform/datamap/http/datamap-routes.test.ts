import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { writeExampleDataMap } from '../example-datamap.ts';

const folder = mkdtempSync(join(tmpdir(), 'steward-datamap-api-'));
writeExampleDataMap(folder);
let testApp: TestApp;

before(async () => {
  testApp = await startTestApp({ config: { datamap: { path: folder } } });
});
after(() => testApp.close());

test("GET /v1/datamap returns the tenant's systems, collections and fields without connection details", async () => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: '/v1/datamap',
    headers: await testApp.headers('owner'),
  });
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.equal(body.tenant, 'default');
  assert.deepEqual(
    body.systems.map((s: { id: string }) => s.id),
    ['shop', 'crm'],
  );
  const customers = body.systems[0].collections[0];
  assert.deepEqual(customers.primaryKey, ['id']);
  assert.deepEqual(customers.fields[1], {
    name: 'email',
    type: 'varchar(255)',
    nullable: false,
    categories: ['user.contact.email'],
    identity: 'email',
    references: [],
    purposes: [],
    review: false,
  });
  assert.deepEqual(body.systems[1].transfers, [
    { country: 'US', safeguard: 'eu_us_data_privacy_framework', recipient: 'CRM vendor' },
  ]);
  assert.ok(
    !response.body.includes('SHOP_DB_URL') && !response.body.includes('CRM_TOKEN'),
    'connections stay out of the API',
  );
});

test('another tenant sees its own, empty, data map', async () => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: '/v1/datamap',
    headers: await testApp.headers('owner', 'acme'),
  });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json().systems, []);
});

test('reading the data map needs credentials', async () => {
  const response = await testApp.app.inject({ method: 'GET', url: '/v1/datamap' });
  assert.equal(response.statusCode, 401);
});

test('POST /v1/datamap/validate reports findings of a proposed file, YAML or parsed', async () => {
  const headers = await testApp.headers('owner');
  const yaml =
    'systems:\n  - id: crm\n    kind: http\n    connection: { baseUrl: "https://crm.example.com", headers: { Authorization: "Bearer abc" } }\n    collections: []\n';
  const response = await testApp.app.inject({
    method: 'POST',
    url: '/v1/datamap/validate',
    headers,
    payload: { manifest: yaml, name: 'crm.yaml' },
  });
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.equal(body.valid, false);
  assert.equal(body.problems.length, 1);
  assert.equal(body.problems[0].code, 'datamap.plain_credential');
  assert.equal(body.problems[0].file, 'crm.yaml');
  assert.equal(body.problems[0].line, 4);
  assert.ok(!response.body.includes('abc'), 'the credential is not echoed');

  const parsed = {
    systems: [
      {
        id: 'shop',
        kind: 'postgres',
        connection: { url: 'env:SHOP_DB_URL' },
        collections: [
          {
            name: 'users',
            fields: [{ name: 'email', categories: ['user.contact.email'], identity: 'email' }],
          },
        ],
      },
    ],
  };
  const ok = await testApp.app.inject({
    method: 'POST',
    url: '/v1/datamap/validate',
    headers,
    payload: { manifest: parsed },
  });
  assert.deepEqual(ok.json(), { valid: true, systems: 1, collections: 1, problems: [] });
});

test('a broken data-map folder stops start-up with the validation message', async () => {
  const broken = mkdtempSync(join(tmpdir(), 'steward-datamap-broken-'));
  writeFileSync(
    join(broken, 'shop.yaml'),
    'systems:\n  - id: shop\n    kind: postgres\n    connection: { url: env:X }\n    collections:\n      - name: users\n        fields:\n          - { name: email, categories: [user.contact.emial], identity: email }\n',
  );
  await assert.rejects(
    startTestApp({ config: { datamap: { path: broken } } }),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'datamap.invalid');
      assert.match(error.message, /shop\.yaml:8 .*unknown data category "user\.contact\.emial"/);
      return true;
    },
  );
});
