import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SystemCatalog } from '../../../../platform/datamap/catalog/system-catalog.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { validateDataMapText } from '../../../../platform/datamap/load-datamap.ts';
import { planAccess, planErasure } from './index.ts';
import { phoneCandidates } from '../../../../platform/connectors/identity-values.ts';
import { normaliseIdentityValue } from './normalise-identities.ts';

function aDataMap(collections: string, identities = ''): DataMap {
  const validation = validateDataMapText(
    'test.yaml',
    `tenant: default
${identities}
systems:
  - id: app
    kind: postgres
    connection: { url: env:APP_URL }
    collections:
${collections}`,
  );
  assert.deepEqual(
    validation.problems.filter((p) => p.severity === 'error'),
    [],
  );
  return validation.dataMaps[0]!;
}

/** customers ← page_views (no key, found by a nullable customer_id the data map says nothing about). */
const shop = `
      - name: customers
        primaryKey: [id]
        erasure: delete_row
        fields:
          - { name: id, type: integer }
          - { name: email, type: varchar(100), categories: [user.contact.email], identity: email, erasure: "null" }
          - { name: phone, type: varchar(30), categories: [user.contact.phone_number], identity: phone }
      - name: page_views
        primaryKey: []
        erasure: delete_row
        fields:
          - name: customer_id
            type: integer
            references: [{ field: customers.id, direction: from, onDelete: no_action }]
          - { name: ip, type: varchar(45), categories: [user.device.ip_address] }`;

const catalog: SystemCatalog = {
  system: 'app',
  defaultSchema: 'public',
  uniqueKeys: { 'public.customers': [['email']] },
  tables: [
    {
      schema: 'public',
      name: 'customers',
      primaryKey: ['id'],
      foreignKeys: [],
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'email', type: 'character varying(100)', nullable: false },
        { name: 'phone', type: 'character varying(30)', nullable: true },
      ],
    },
    {
      schema: 'public',
      name: 'page_views',
      primaryKey: [],
      foreignKeys: [
        {
          constraint: 'page_views_customer_id_fkey',
          columns: ['customer_id'],
          referencedSchema: 'public',
          referencedTable: 'customers',
          referencedColumns: ['id'],
          onDelete: 'no_action',
        },
      ],
      columns: [
        { name: 'customer_id', type: 'integer', nullable: true },
        { name: 'ip', type: 'character varying(45)', nullable: false },
      ],
    },
  ],
};

test('an omitted nullable is not a fact: without the catalog the reference is kept, and the plan says so', () => {
  const plan = planErasure(aDataMap(shop), { email: ['ann@example.com'] });
  const customers = plan.systems[0]!.erasure!.collections.find((c) => c.step === 'app.customers')!;
  assert.equal(customers.inbound[0]!.nullable, undefined);
  assert.ok(plan.warnings!.some((w) => w.code === 'erasure.nullability_unknown'));
  assert.deepEqual(plan.facts, [
    {
      system: 'app',
      source: 'data map',
      reason: 'the catalog was not read (planned from the data map alone)',
    },
  ]);
  // Nothing is unlinked on a guess.
  assert.ok(!plan.systems[0]!.erasure!.operations.some((op) => op.kind === 'detach'));
});

test('with the catalog: the subject’s unkeyed page views are deleted before the reference that finds them is cut, and only then is it unlinked', () => {
  process.env.APP_HMAC_KEY = 'a-key-of-at-least-32-characters-0123456789';
  const keyed = aDataMap(
    shop.replace('erasure: "null" }', 'erasure: { strategy: hmac, key: env:APP_HMAC_KEY } }'),
  );
  const plan = planErasure(keyed, { email: ['ann@example.com'] }, {}, { catalogs: [catalog] });
  assert.deepEqual(plan.errors, []);
  assert.deepEqual(plan.facts, [{ system: 'app', source: 'database catalog' }]);
  const ops = plan.systems[0]!.erasure!.operations.map(
    (op) => `${op.kind} ${op.kind === 'detach' ? op.holder : op.step}`,
  );
  assert.deepEqual(ops, [
    'mask app.customers',
    'delete app.page_views',
    'detach page_views',
    'delete app.customers',
  ]);
});

test('a null strategy on a column the catalog says is NOT NULL, and a fixed value on a unique column, are plan errors with the fix', () => {
  const nulled = planErasure(aDataMap(shop), { email: ['a@b.c'] }, {}, { catalogs: [catalog] });
  assert.deepEqual(
    nulled.errors.map((e) => e.code),
    ['erasure.null_on_not_null'],
  );
  assert.match(
    nulled.errors[0]!.message,
    /customers\.email is NOT NULL in the database.*use fixed_value, random or hmac/,
  );
  const fixed = aDataMap(
    shop.replace(
      'identity: email, erasure: "null" }',
      'identity: email, erasure: { strategy: fixed_value, value: "erased" } }',
    ),
  );
  const plan = planErasure(fixed, { email: ['a@b.c'] }, {}, { catalogs: [catalog] });
  assert.deepEqual(
    plan.errors.map((e) => e.code),
    ['erasure.mask_unique'],
  );
  assert.match(plan.errors[0]!.message, /customers\.email has a unique index.*Use hmac, random or null/);
});

test('hash is refused by validation, with the keyed and irreversible alternatives as the fix; pseudonymise is a warning', () => {
  const hashed = validateDataMapText(
    'test.yaml',
    `systems:
  - id: app
    kind: postgres
    connection: { url: env:APP_URL }
    collections:
      - name: customers
        primaryKey: [id]
        fields:
          - { name: id, type: integer }
          - { name: email, type: varchar(100), categories: [user.contact.email], identity: email, erasure: hash }
          - { name: phone, type: varchar(100), categories: [user.contact.phone_number], erasure: pseudonymise }
`,
  );
  const codes = hashed.problems.map((p) => `${p.severity} ${p.code} ${p.subject}`);
  assert.deepEqual(codes, [
    'error datamap.unkeyed_hash app.customers.email',
    'warning datamap.pseudonymisation app.customers.phone',
  ]);
  assert.match(hashed.problems[0]!.fix, /hmac, key: secret:NAME.*null, fixed_value, random or generalise/);
});

test('phones: the same normalisation on both sides, the national form only where the region is declared', () => {
  assert.equal(normaliseIdentityValue('e164', '06 44 58 92 42', 'FR'), '+33644589242');
  assert.equal(normaliseIdentityValue('e164', '0033 6 44 58 92 42'), '+33644589242');
  assert.equal(normaliseIdentityValue('e164', '+33 (0)6-44-58-92-42'), '+33644589242');
  assert.deepEqual(phoneCandidates('+33644589242', 'FR'), ['+33644589242', '0644589242']);
  assert.deepEqual(phoneCandidates('+33644589242'), ['+33644589242']);
  assert.deepEqual(phoneCandidates('+4930123456', 'FR'), ['+4930123456']);
  const plan = planAccess(aDataMap(shop), { phone: ['+33644589242'] });
  const source = plan.systems[0]!.steps[0]!.sources[0]!;
  assert.deepEqual(source, {
    kind: 'identity',
    identity: 'phone',
    column: 'phone',
    lowercase: false,
    phone: true,
  });
  assert.match(
    plan.systems[0]!.steps[0]!.statement,
    /regexp_replace\(regexp_replace\("phone"::text, '\[\^0-9\+\]', '', 'g'\), '\^00', '\+'\)/,
  );
});

test('an identity that can never match a column is a warning: too long for it, not a number for an integer key, national numbers without a region', () => {
  const dataMap = aDataMap(`${shop}
      - name: accounts
        primaryKey: [id]
        fields:
          - { name: id, type: integer, identity: user_id }
          - { name: email, type: varchar(10), categories: [user.contact.email], identity: email }`);
  const plan = planAccess(
    dataMap,
    { email: ['a-long-address@example.com'], user_id: ['ann'], phone: ['+33644589242'] },
    {
      phoneSamples: [
        {
          system: 'app',
          collection: 'customers',
          field: 'phone',
          sampled: 10,
          international: 4,
          national: 6,
          unparseable: 0,
        },
      ],
    },
  );
  const messages = plan.warnings!.map((w) => w.message);
  assert.ok(
    messages.some((m) =>
      m.startsWith('1 of the 1 user_id value can never match app.accounts.id (integer): not a whole number'),
    ),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) =>
      m.startsWith('1 of the 1 email value is longer than app.accounts.email (varchar(10)) can hold'),
    ),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) =>
      m.startsWith('6 of 10 sampled values of app.customers.phone are written without a country code'),
    ),
    messages.join('\n'),
  );
});

test('another person’s fields: withheld from the subject’s rows, and rows naming the subject in that role read for those fields only', () => {
  const dataMap = aDataMap(`${shop}
      - name: orders
        primaryKey: [id]
        erasure: delete_row
        fields:
          - { name: id, type: integer }
          - { name: customer_id, type: integer, references: [{ field: customers.id, direction: from, onDelete: no_action }] }
          - { name: recipient_name, type: varchar(100), categories: [user.name], otherSubject: gift_recipient, erasure: "null" }
          - { name: recipient_email, type: varchar(100), categories: [user.contact.email], otherSubject: gift_recipient, identity: email, erasure: "null" }`);
  const plan = planErasure(dataMap, { email: ['bob@example.com'] });
  const steps = Object.fromEntries(plan.systems[0]!.steps.map((s) => [s.id, s]));
  assert.deepEqual(steps['app.orders']!.columns, ['id', 'customer_id']);
  assert.deepEqual(steps['app.orders']!.withheld, [
    { field: 'recipient_name', role: 'gift_recipient' },
    { field: 'recipient_email', role: 'gift_recipient' },
  ]);
  assert.deepEqual(steps['app.orders@gift_recipient']!.about, {
    role: 'gift_recipient',
    fields: ['recipient_name', 'recipient_email'],
  });
  const erasure = Object.fromEntries(plan.systems[0]!.erasure!.collections.map((c) => [c.step, c]));
  // The buyer's erasure never masks the recipient's fields (they go only with a deleted row) …
  assert.ok(!erasure['app.orders']!.masks.some((m) => m.field.startsWith('recipient_')));
  // … and the recipient's erasure masks exactly those, deleting nothing.
  assert.deepEqual(
    erasure['app.orders@gift_recipient']!.masks.map((m) => m.field),
    ['recipient_name', 'recipient_email'],
  );
  assert.equal(erasure['app.orders@gift_recipient']!.action, 'mask');
});
