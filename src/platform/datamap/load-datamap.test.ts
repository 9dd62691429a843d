import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { createTaxonomy } from '../taxonomy/taxonomy.ts';
import { EXAMPLE_DATAMAP_YAML, writeExampleDataMap } from './example-datamap.ts';
import { loadDataMap, validateDataMapFiles } from './load-datamap.ts';
import { aDeeplyNestedYaml, aYamlAliasBomb } from '../../../test/support/hostile-input.ts';

function aDataMapFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'steward-datamap-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  return folder;
}

const shopSystem = `
systems:
  - id: shop
    kind: postgres
    connection: { url: env:SHOP_DB_URL }
    collections:
      - name: customers
        primaryKey: [id]
        erasure: delete_row
        fields:
          - { name: id, type: bigint, nullable: false, categories: [user.unique_id], identity: user_id }
          - { name: email, type: varchar(255), categories: [user.contact.email], identity: email }
`;

const ordersInAnotherFile = `
collections:
  - system: shop
    name: orders
    primaryKey: [id]
    erasure: { strategy: "null" }
    fields:
      - { name: id, type: bigint, nullable: false }
      - name: customer_id
        type: bigint
        nullable: true
        references: [{ field: customers.id, onDelete: set_null, constraint: orders_customer_fk }]
      - { name: gift_message, type: text, categories: [user.content.private] }
`;

test('files in a folder (and sub-folders) merge into one data map per tenant, with lookups and the reference graph', () => {
  const folder = aDataMapFolder({
    'shop.yaml': shopSystem,
    'shop/orders.yml': ordersInAnotherFile,
    'other-tenant.yaml': `tenant: acme\n${shopSystem}`,
    'README.md': 'not a data-map file',
  });
  const registry = loadDataMap([folder]);
  assert.deepEqual(registry.tenants(), ['acme', 'default']);

  const shop = registry.forTenant('default');
  assert.deepEqual(
    shop.dataMap.systems.map((s) => s.id),
    ['shop'],
  );
  assert.deepEqual(
    shop.system('shop')?.collections.map((c) => c.name),
    ['customers', 'orders'],
  );
  assert.equal(
    shop.collection({ system: 'shop', collection: 'orders' })?.source,
    join(folder, 'shop/orders.yml'),
  );
  assert.deepEqual(shop.field({ system: 'shop', collection: 'customers', field: 'email' })?.type, {
    raw: 'varchar(255)',
    family: 'text',
    length: 255,
  });

  assert.deepEqual(shop.dataMap.edges, [
    {
      holder: { system: 'shop', collection: 'orders' },
      target: { system: 'shop', collection: 'customers' },
      fields: [{ holder: 'customer_id', target: 'id' }],
      direction: 'from',
      foreignKey: { onDelete: 'set_null', nullable: true, constraint: 'orders_customer_fk' },
    },
  ]);
  assert.equal(shop.edgesOf({ system: 'shop', collection: 'customers' }).length, 1);
  assert.deepEqual(shop.identityFields('email'), [
    { system: 'shop', collection: 'customers', field: 'email' },
  ]);
  assert.equal(shop.identity('email').match, 'case_insensitive');
  assert.equal(shop.identity('loyalty_card').match, 'exact');

  // Collection defaults: delete_row covers every field; a masking default only personal ones.
  assert.deepEqual(shop.effectiveErasure({ system: 'shop', collection: 'customers', field: 'id' }), {
    strategy: 'delete_row',
  });
  assert.deepEqual(shop.effectiveErasure({ system: 'shop', collection: 'orders', field: 'gift_message' }), {
    strategy: 'null',
  });
  assert.equal(shop.effectiveErasure({ system: 'shop', collection: 'orders', field: 'id' }), undefined);

  assert.equal(registry.forTenant('acme').dataMap.systems[0]?.collections.length, 1);
  assert.deepEqual(registry.forTenant('nobody').dataMap.systems, []);
});

test('a missing folder is an empty data map', () => {
  const registry = loadDataMap([join(tmpdir(), 'steward-no-such-folder-ever')]);
  assert.deepEqual(registry.tenants(), []);
  assert.deepEqual(registry.forTenant('default').dataMap.systems, []);
});

test('a broken data map fails loading with every error, each naming file, line and fix', () => {
  const folder = aDataMapFolder({
    'shop.yaml': shopSystem.replace('user.contact.email', 'user.contact.emial'),
    'orders.yaml': ordersInAnotherFile.replace('customers.id', 'customer.id'),
  });
  assert.throws(
    () => loadDataMap([folder]),
    (error: unknown) => {
      assert.ok(error instanceof InvalidInput);
      assert.equal(error.code, 'datamap.invalid');
      assert.match(error.message, /The data map has 2 errors/);
      assert.ok(
        error.message.includes(
          `${join(folder, 'shop.yaml')}:12 systems[0].collections[0].fields[1].categories[0] (shop.customers.email): unknown data category "user.contact.emial" — did you mean "user.contact.email"?`,
        ),
      );
      assert.ok(
        error.message.includes(
          `${join(folder, 'orders.yaml')}:12 collections[0].fields[1].references[0].field (shop.orders.customer_id): reference "customer.id" names collection "customer"`,
        ),
      );
      assert.match(error.message, /Fix: /);
      return true;
    },
  );
});

test('warnings (deprecated fideslang keys) do not stop loading and reach the caller', () => {
  const folder = aDataMapFolder({
    'shop.yaml': shopSystem.replace('user.unique_id', 'user.unique_id.pseudonymous'),
  });
  const warnings: string[] = [];
  loadDataMap([folder], { onWarning: (p) => warnings.push(`${p.code}: ${p.fix}`) });
  assert.deepEqual(warnings, ['datamap.deprecated_key: use "user.unique_id"']);
});

test('categories added in the config taxonomy are accepted', () => {
  const folder = aDataMapFolder({
    'shop.yaml': shopSystem.replace('user.unique_id]', 'user.unique_id.loyalty_card]'),
  });
  assert.throws(() => loadDataMap([folder]), /unknown data category "user.unique_id.loyalty_card"/);
  const taxonomy = createTaxonomy({
    dataCategories: [{ key: 'user.unique_id.loyalty_card', name: 'Loyalty card number' }],
  });
  assert.equal(loadDataMap([folder], { taxonomy }).forTenant('default').dataMap.systems.length, 1);
});

test('the example data map that `steward init` writes is valid', () => {
  const folder = mkdtempSync(join(tmpdir(), 'steward-init-'));
  const written = writeExampleDataMap(folder);
  assert.equal(written, join(folder, 'example.yaml'));
  assert.equal(writeExampleDataMap(folder), undefined, 'an existing example is not overwritten');
  const validation = validateDataMapFiles([folder]);
  assert.deepEqual(validation.problems, []);
  const view = loadDataMap([folder]).forTenant('default');
  assert.equal(view.system('crm')?.kind, 'http');
  assert.equal(view.collection({ system: 'shop', collection: 'orders' })?.erasure?.strategy, 'keep');
  assert.ok(EXAMPLE_DATAMAP_YAML.includes('env:SHOP_DB_URL'));
});

test('a data map nested 10,000 levels or expanding aliases into millions of values is a finding naming the fix, not a crash', () => {
  const folder = aDataMapFolder({ 'deep.yaml': aDeeplyNestedYaml(), 'bomb.yaml': aYamlAliasBomb() });
  const validation = validateDataMapFiles([folder]);
  assert.equal(validation.valid, false);
  const found = validation.problems.map((p) => [p.file.split('/').pop(), p.code, p.fix.length > 0]);
  assert.deepEqual(found.sort(), [
    ['bomb.yaml', 'datamap.yaml_aliases', true],
    ['deep.yaml', 'datamap.too_deep', true],
  ]);
});
