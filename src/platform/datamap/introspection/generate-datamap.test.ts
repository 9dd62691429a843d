import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parse } from 'yaml';
import { createPostgresDatabase } from '../../../../test/support/test-database.ts';
import { generateDraftDataMap, type GeneratedDraft } from './generate-datamap.ts';

const MARIADB_ROOT = 'mysql://root@127.0.0.1:3306/';

/**
 * A shop schema with what makes erasure hard: FKs in several levels, a composite primary key and a
 * composite FK onto it, a table without a primary key, a self-reference, a cycle broken by a
 * nullable FK (customers.referred_by_order_id ↔ orders.customer_id) and a JSON column.
 */
const POSTGRES_SCHEMA = `
  create table customers (id bigserial primary key, email varchar(255) not null unique, first_name varchar(100),
    phone varchar(30), birth_date date, referred_by_order_id bigint);
  create table addresses (id bigserial primary key, customer_id bigint not null references customers(id) on delete cascade,
    street text not null, city varchar(100), postal_code varchar(12));
  create table orders (id bigserial primary key,
    customer_id bigint not null constraint orders_customer_fk references customers(id) on delete restrict,
    shipping_address_id bigint references addresses(id) on delete set null, recipient_email varchar(255),
    metadata jsonb, created_at timestamptz not null default now());
  alter table customers add constraint customers_referred_by_fk foreign key (referred_by_order_id) references orders(id) on delete set null;
  create table products (id serial primary key, name text not null, price numeric(10,2));
  create table order_items (order_id bigint not null references orders(id) on delete cascade, line_no int not null,
    product_id int references products(id), quantity int not null, primary key (order_id, line_no));
  create table shipments (id bigserial primary key, order_id bigint not null, line_no int not null, tracking_code char(20),
    constraint shipments_item_fk foreign key (order_id, line_no) references order_items(order_id, line_no) on delete cascade);
  create table page_views (customer_id bigint references customers(id), ip_address inet, viewed_at timestamptz);
  create table employees (id serial primary key, email varchar(255), manager_id int references employees(id) on delete set null);
`;

const MARIADB_SCHEMA = [
  `create table customers (id bigint auto_increment primary key, email varchar(255) not null unique, first_name varchar(100),
    phone varchar(30), birth_date date, referred_by_order_id bigint null)`,
  `create table addresses (id bigint auto_increment primary key, customer_id bigint not null, street text not null,
    city varchar(100), postal_code varchar(12), foreign key (customer_id) references customers(id) on delete cascade)`,
  `create table orders (id bigint auto_increment primary key, customer_id bigint not null, shipping_address_id bigint null,
    recipient_email varchar(255), metadata json, created_at datetime(3) not null,
    constraint orders_customer_fk foreign key (customer_id) references customers(id) on delete restrict,
    foreign key (shipping_address_id) references addresses(id) on delete set null)`,
  `alter table customers add constraint customers_referred_by_fk foreign key (referred_by_order_id) references orders(id) on delete set null`,
  `create table products (id int auto_increment primary key, name text not null, price decimal(10,2))`,
  `create table order_items (order_id bigint not null, line_no int not null, product_id int null, quantity int not null,
    primary key (order_id, line_no), foreign key (order_id) references orders(id) on delete cascade,
    foreign key (product_id) references products(id))`,
  `create table shipments (id bigint auto_increment primary key, order_id bigint not null, line_no int not null, tracking_code char(20),
    constraint shipments_item_fk foreign key (order_id, line_no) references order_items(order_id, line_no) on delete cascade)`,
  `create table page_views (customer_id bigint null, ip_address varchar(45), viewed_at datetime,
    foreign key (customer_id) references customers(id))`,
  `create table employees (id int auto_increment primary key, email varchar(255), manager_id int null,
    foreign key (manager_id) references employees(id) on delete set null)`,
];

interface DraftCollection {
  name: string;
  primaryKey: string[];
  fields: {
    name: string;
    type: string;
    nullable: boolean;
    categories?: string[];
    identity?: string;
    review?: boolean;
    references?: { field: string; direction: string; onDelete: string; constraint: string }[];
  }[];
}

function collectionsOf(draft: GeneratedDraft): Map<string, DraftCollection> {
  const parsed = parse(draft.yaml) as { systems: { collections: DraftCollection[] }[] };
  return new Map(parsed.systems[0]?.collections.map((c) => [c.name, c]));
}

function field(collections: Map<string, DraftCollection>, collection: string, name: string) {
  const found = collections.get(collection)?.fields.find((f) => f.name === name);
  assert.ok(found, `${collection}.${name} is in the draft`);
  return found;
}

/** The same expectations hold for both databases: only type spellings differ. */
function assertShopDraft(
  draft: GeneratedDraft,
  types: { varchar255: string; json: string; char20: RegExp },
): void {
  const collections = collectionsOf(draft);
  assert.deepEqual(
    [...collections.keys()],
    ['addresses', 'customers', 'employees', 'order_items', 'orders', 'page_views', 'products', 'shipments'],
  );

  assert.deepEqual(collections.get('order_items')?.primaryKey, ['order_id', 'line_no']);
  assert.deepEqual(collections.get('page_views')?.primaryKey, []);
  assert.match(draft.yaml, /primaryKey: \[\] # no primary key/);

  // Several levels: customers ← orders ← order_items ← shipments (composite FK).
  assert.deepEqual(field(collections, 'orders', 'customer_id').references, [
    { field: 'customers.id', direction: 'from', onDelete: 'restrict', constraint: 'orders_customer_fk' },
  ]);
  assert.deepEqual(field(collections, 'addresses', 'customer_id').references?.[0]?.onDelete, 'cascade');
  assert.deepEqual(
    ['order_id', 'line_no'].map((name) => field(collections, 'shipments', name).references),
    [
      [
        {
          field: 'order_items.order_id',
          direction: 'from',
          onDelete: 'cascade',
          constraint: 'shipments_item_fk',
        },
      ],
      [
        {
          field: 'order_items.line_no',
          direction: 'from',
          onDelete: 'cascade',
          constraint: 'shipments_item_fk',
        },
      ],
    ],
  );
  // The cycle customers → orders → customers is broken by the nullable referred_by_order_id.
  const referredBy = field(collections, 'customers', 'referred_by_order_id');
  assert.equal(referredBy.nullable, true);
  assert.deepEqual(referredBy.references?.[0], {
    field: 'orders.id',
    direction: 'from',
    onDelete: 'set_null',
    constraint: 'customers_referred_by_fk',
  });
  // Self-reference.
  assert.equal(field(collections, 'employees', 'manager_id').references?.[0]?.field, 'employees.id');
  assert.equal(field(collections, 'employees', 'manager_id').references?.[0]?.onDelete, 'set_null');

  // Types with lengths, nullability, JSON.
  assert.deepEqual(
    {
      type: field(collections, 'customers', 'email').type,
      nullable: field(collections, 'customers', 'email').nullable,
    },
    { type: types.varchar255, nullable: false },
  );
  assert.equal(field(collections, 'orders', 'metadata').type, types.json);
  assert.match(field(collections, 'shipments', 'tracking_code').type, types.char20);

  // Guesses are marked for review; only the subject's own email is an identity, not the recipient's.
  assert.deepEqual(field(collections, 'customers', 'email'), {
    ...field(collections, 'customers', 'email'),
    categories: ['user.contact.email'],
    identity: 'email',
    review: true,
  });
  assert.deepEqual(field(collections, 'customers', 'id'), {
    ...field(collections, 'customers', 'id'),
    categories: ['user.unique_id'],
    identity: 'user_id',
    review: true,
  });
  assert.equal(field(collections, 'orders', 'recipient_email').identity, undefined);
  assert.deepEqual(field(collections, 'orders', 'recipient_email').categories, ['user.contact.email']);
  assert.deepEqual(field(collections, 'page_views', 'ip_address').categories, ['user.device.ip_address']);
  assert.equal(
    field(collections, 'products', 'name').categories,
    undefined,
    'a product name is not personal data',
  );
  assert.equal(field(collections, 'products', 'price').review, undefined);

  // The draft is a valid data map as it stands: every personal collection is reachable.
  assert.deepEqual(
    draft.problems.filter((p) => p.severity === 'error'),
    [],
  );
}

describe('datamap generate on a real PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  before(async () => {
    database = await createPostgresDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(POSTGRES_SCHEMA);
    await client.end();
  });
  after(() => database.drop());

  test('drafts a data map with keys, references and guesses from the catalog', async () => {
    const draft = await generateDraftDataMap({ url: database.url, systemId: 'shop' });
    assertShopDraft(draft, {
      varchar255: 'character varying(255)',
      json: 'jsonb',
      char20: /^character\(20\)$/,
    });
    assert.match(draft.yaml, /connection:\n\s+url: env:SHOP_DB_URL/);
    assert.ok(!draft.yaml.includes(database.url), 'the draft never contains the URL it was read from');
  });

  test('a schema filter that matches nothing is an error that says so', async () => {
    await assert.rejects(
      generateDraftDataMap({ url: database.url }, { schemas: ['billing'] }),
      /has no tables in schema billing/,
    );
  });
});

describe('datamap generate on a real MariaDB', () => {
  const name = `steward_t_${randomBytes(5).toString('hex')}`;
  before(async () => {
    const admin = await mysql.createConnection({ uri: MARIADB_ROOT, multipleStatements: false });
    await admin.query(`create database ${name}`);
    await admin.query(`use ${name}`);
    for (const statement of MARIADB_SCHEMA) await admin.query(statement);
    await admin.end();
  });
  after(async () => {
    const admin = await mysql.createConnection({ uri: MARIADB_ROOT });
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  });

  test('drafts the same data map from information_schema', async () => {
    const draft = await generateDraftDataMap({ url: `${MARIADB_ROOT}${name}`, systemId: 'shop' });
    assertShopDraft(draft, { varchar255: 'varchar(255)', json: 'json', char20: /^char\(20\)$/ });
    assert.equal(parse(draft.yaml).systems[0].kind, 'mysql');
  });
});
