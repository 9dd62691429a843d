import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveMaskingRules } from './masking-rules.ts';
import type { CatalogColumn, CatalogTable, SourceCatalog } from './source-catalog.ts';
import { planSubset } from './subset-plan.ts';

function column(name: string, family: CatalogColumn['family'] = 'text', nullable = true): CatalogColumn {
  return { name, rawType: family, family, nullable, generated: false };
}

function table(name: string, columns: CatalogColumn[], extra: Partial<CatalogTable> = {}): CatalogTable {
  return {
    id: `public.${name}`,
    schema: 'public',
    name,
    columns,
    uniqueKeys: [],
    foreignKeys: [],
    estimatedRows: 0,
    ...extra,
  };
}

/** A shop with a newsletter keyed by e-mail, orders carrying the buyer's e-mail, and a nullable cycle. */
const shop: SourceCatalog = {
  kind: 'postgres',
  tables: [
    table(
      'customers',
      [
        column('id', 'integer', false),
        column('email', 'text', false),
        column('default_address_id', 'integer'),
        column('referred_by', 'integer'),
      ],
      {
        primaryKey: { name: 'customers_pkey', columns: ['id'] },
        uniqueKeys: [{ name: 'customers_email_key', columns: ['email'] }],
        foreignKeys: [
          {
            name: 'customers_default_address',
            columns: ['default_address_id'],
            target: 'public.addresses',
            targetColumns: ['id'],
          },
          {
            name: 'customers_referred_by',
            columns: ['referred_by'],
            target: 'public.customers',
            targetColumns: ['id'],
          },
        ],
      },
    ),
    table(
      'addresses',
      [column('id', 'integer', false), column('customer_id', 'integer', false), column('street')],
      {
        primaryKey: { name: 'addresses_pkey', columns: ['id'] },
        foreignKeys: [
          {
            name: 'addresses_customer',
            columns: ['customer_id'],
            target: 'public.customers',
            targetColumns: ['id'],
          },
        ],
      },
    ),
    table('newsletter', [column('email', 'text', false), column('born', 'integer')], {
      primaryKey: { name: 'newsletter_pkey', columns: ['email'] },
    }),
    table(
      'orders',
      [
        column('id', 'integer', false),
        column('customer_id', 'integer', false),
        column('buyer_email', 'text', false),
      ],
      {
        primaryKey: { name: 'orders_pkey', columns: ['id'] },
        foreignKeys: [
          {
            name: 'orders_customer',
            columns: ['customer_id'],
            target: 'public.customers',
            targetColumns: ['id'],
          },
          {
            name: 'orders_newsletter',
            columns: ['buyer_email'],
            target: 'public.newsletter',
            targetColumns: ['email'],
          },
        ],
      },
    ),
    table('products', [column('id', 'integer', false)], {
      primaryKey: { name: 'products_pkey', columns: ['id'] },
    }),
    table('order_items', [column('order_id', 'integer', false), column('product_id', 'integer', false)], {
      foreignKeys: [
        { name: 'items_order', columns: ['order_id'], target: 'public.orders', targetColumns: ['id'] },
        { name: 'items_product', columns: ['product_id'], target: 'public.products', targetColumns: ['id'] },
      ],
    }),
  ],
};

describe('masking rules', () => {
  it('gives a personal key the same rule in every column that references it, and lets an override win', () => {
    const rules = resolveMaskingRules(
      shop,
      [
        { table: 'newsletter', column: 'email', categories: ['user.contact.email'] },
        { table: 'customers', column: 'email', categories: ['user.contact.email'] },
        { table: 'addresses', column: 'street', categories: ['user.contact.address.street'] },
        { table: 'newsletter', column: 'born', categories: ['user.demographic.date_of_birth'] },
      ],
      [{ table: 'addresses', column: 'street', transformer: 'null' }],
      ['customers', 'addresses', 'newsletter', 'orders'],
    );
    const rule = (t: string, c: string) =>
      rules.tables.find((x) => x.table === `public.${t}`)?.columns.find((x) => x.column === c);
    assert.equal(rule('orders', 'buyer_email')?.transformer, 'email');
    assert.equal(rule('orders', 'buyer_email')?.source, 'foreign_key');
    assert.equal(rule('addresses', 'street')?.transformer, 'null');
    // A date-of-birth category on an integer column falls back to the type's transformer, with a warning.
    assert.equal(rule('newsletter', 'born')?.transformer, 'keyed_id');
    assert.ok(rules.warnings.some((w) => w.column === 'born'));
    assert.ok(
      rules.warnings.some((w) => w.table === 'public.products' && /not in the data map/.test(w.message)),
    );
    assert.deepEqual(rules.problems, []);
  });

  it('refuses a rule that cannot write its column', () => {
    const rules = resolveMaskingRules(
      shop,
      [],
      [{ table: 'customers', column: 'email', transformer: 'null' }],
      ['customers'],
    );
    assert.equal(rules.problems.length, 1);
    assert.match(rules.problems[0]!.message, /cannot write/);
  });
});

describe('subset plan', () => {
  it('walks references down from the seeds and closes every reference a kept row holds', () => {
    const plan = planSubset(shop, { where: [{ table: 'customers', condition: 'id < 100' }], percent: 10 });
    assert.deepEqual(plan.seeds, [{ table: 'public.customers', condition: 'id < 100', percent: 10 }]);
    assert.deepEqual(
      plan.followers.map((f) => [f.table, f.via.name]),
      [
        ['public.addresses', 'addresses_customer'],
        ['public.orders', 'orders_customer'],
        ['public.order_items', 'items_order'],
      ],
    );
    assert.deepEqual(plan.fullTables.sort(), ['public.newsletter', 'public.products']);
    assert.deepEqual(plan.closure.map((c) => c.fk.name).sort(), [
      'addresses_customer',
      'customers_default_address',
      'customers_referred_by',
      'items_order',
      'orders_customer',
    ]);
  });
});
