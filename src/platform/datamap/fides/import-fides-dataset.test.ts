import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { importFidesDatasets } from './import-fides-dataset.ts';

const fixture = readFileSync(join(import.meta.dirname, 'fides-shop-dataset.fixture.yaml'), 'utf8');

test('a Fides dataset becomes a Steward system with keys, identities and references', () => {
  const imported = importFidesDatasets(fixture);
  const map = parse(imported.yaml);
  const [shop, mailchimp] = map.systems;
  assert.equal(shop.id, 'postgres_shop');
  assert.equal(shop.kind, 'postgres');
  assert.deepEqual(shop.connection, { url: 'env:POSTGRES_SHOP_DB_URL' });
  assert.deepEqual(
    shop.collections.map((c: { name: string }) => c.name),
    ['address', 'customer', 'orders', 'payment_card', 'visit'],
  );

  const customer = shop.collections[1];
  assert.deepEqual(customer.primaryKey, ['id']);
  assert.equal(customer.schema, 'public');
  assert.deepEqual(
    customer.fields.find((f: { name: string }) => f.name === 'email'),
    { name: 'email', type: 'text', categories: ['user.contact.email'], identity: 'email' },
  );
  assert.deepEqual(customer.fields.find((f: { name: string }) => f.name === 'name').type, 'varchar(40)');
  assert.deepEqual(customer.fields.find((f: { name: string }) => f.name === 'address_id').references, [
    { field: 'address.id', direction: 'to' },
  ]);

  const orders = shop.collections[2];
  assert.equal(orders.erasure, 'delete_row', 'masking_strategy_override: delete');
  assert.deepEqual(orders.fields.find((f: { name: string }) => f.name === 'customer_id').references, [
    { field: 'customer.id', direction: 'from' },
  ]);
  assert.deepEqual(
    orders.fields.find((f: { name: string }) => f.name === 'gift'),
    { name: 'gift', type: 'json', categories: ['user.name', 'user.content.private'] },
  );

  // A reference into another dataset names its system; no direction in Fides means both ways.
  assert.deepEqual(mailchimp.collections[0].fields[0].references, [
    { field: 'postgres_shop.customer.email', direction: 'both' },
  ]);
  assert.deepEqual(mailchimp.collections[0].primaryKey, []);

  assert.deepEqual(imported.notes, [
    'postgres_shop.orders.gift: nested fields (recipient_name, message) imported as one JSON column',
  ]);
  assert.match(imported.yaml, /# {3}- postgres_shop\.orders\.gift: nested fields/);
});

test('the imported data map validates: every collection is reachable through the Fides references', () => {
  const { problems } = importFidesDatasets(fixture);
  assert.deepEqual(
    problems.filter((p) => p.severity === 'error'),
    [],
  );
  // Fides' deprecated keys would show up as warnings; this dataset uses current ones.
  assert.deepEqual(problems, []);
});

test('a Fides reference to a missing field survives the import and is caught by validation', () => {
  const { problems } = importFidesDatasets(fixture.replace('field: customer.email', 'field: customer.mail'));
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.code, 'datamap.reference_missing_field');
  assert.equal(problems[0]?.subject, 'mailchimp_export.members.email_address');
});

test('a file that is not a Fides dataset is refused with what was expected', () => {
  assert.throws(
    () => importFidesDatasets('systems: []\n'),
    /Not a Fides dataset file: dataset: .*Expected `dataset: \[\{ fides_key, collections/,
  );
});
