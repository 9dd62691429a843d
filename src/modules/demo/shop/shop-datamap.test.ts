import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { validateDataMapFiles } from '../../../platform/datamap/load-datamap.ts';
import type { DataMap, DataMapCollection } from '../../../platform/datamap/datamap-types.ts';
import { createPostgresDatabase } from '../../../../test/support/test-database.ts';
import { DEMO_SHOP_DATAMAP } from './demo-shop-datamap.ts';
import { SEED_MARKER_TABLE, SHOP_SCHEMA_SQL, SHOP_TABLES } from './shop-schema.ts';

let dataMap: DataMap;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let client: pg.Client;
/** The shop schema in a real PostgreSQL database, compared with the data map. */
const schema = {
  query: async <T extends pg.QueryResultRow>(sql: string) => client.query<T>(sql),
};

before(async () => {
  const validation = validateDataMapFiles([DEMO_SHOP_DATAMAP]);
  assert.deepEqual(validation.problems, [], 'the shipped data map loads without errors or warnings');
  const [loaded] = validation.dataMaps;
  assert.ok(loaded);
  dataMap = loaded;
  database = await createPostgresDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(SHOP_SCHEMA_SQL);
});

after(async () => {
  await client?.end();
  await database?.drop();
});

function shop() {
  const system = dataMap.systems.find((s) => s.id === 'shop');
  assert.ok(system && system.kind === 'postgres');
  return system;
}

function collection(name: string): DataMapCollection {
  const found = shop().collections.find((c) => c.name === name);
  assert.ok(found, `collection ${name}`);
  return found;
}

test('the demo data map reaches the shop through the connection Steward sets for its own server', () => {
  assert.equal(shop().kind === 'postgres' && shop().connection.url, 'env:STEWARD_DEMO_SHOP_URL');
  assert.equal(dataMap.tenant, 'default');
});

test('it describes every shop table and column with its type, nullability and primary key', async () => {
  const columns = await schema.query<{
    table_name: string;
    column_name: string;
    type: string;
    nullable: boolean;
  }>(`
    select c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod) as type, c.is_nullable = 'YES' as nullable
    from information_schema.columns c
    join pg_attribute a on a.attrelid = c.table_name::regclass and a.attname = c.column_name
    where c.table_schema = 'public' and c.table_name <> '${SEED_MARKER_TABLE}'
    order by c.table_name, c.ordinal_position`);
  const inDatabase = columns.rows.map(
    (c) => `${c.table_name}.${c.column_name} ${canonicalType(c.type)}${c.nullable ? ' null' : ''}`,
  );
  const inMap = shop()
    .collections.toSorted((a, b) => a.name.localeCompare(b.name))
    .flatMap((c) =>
      c.fields.map(
        (f) => `${c.name}.${f.name} ${canonicalType(f.type?.raw ?? '?')}${f.nullable ? ' null' : ''}`,
      ),
    );
  assert.deepEqual(inMap, inDatabase);
  assert.deepEqual(
    shop()
      .collections.map((c) => c.name)
      .toSorted(),
    [...SHOP_TABLES].toSorted(),
  );
  assert.deepEqual(collection('order_items').primaryKey, ['order_id', 'line_no']);
  assert.deepEqual(collection('sessions').primaryKey, []);
});

test('its references are exactly the foreign keys, with their ON DELETE rules', async () => {
  const foreignKeys = await schema.query<{ link: string }>(`
    select format('%s.%s -> %s.%s %s', tc.table_name, kcu.column_name, ccu.table_name, ccu.column_name, lower(replace(rc.delete_rule, ' ', '_'))) as link
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
    join information_schema.referential_constraints rc on rc.constraint_name = tc.constraint_name
    where tc.constraint_type = 'FOREIGN KEY' order by 1`);
  const edges = dataMap.edges
    .map(
      (e) =>
        `${e.holder.collection}.${e.fields[0]?.holder} -> ${e.target.collection}.${e.fields[0]?.target} ${e.foreignKey?.onDelete}`,
    )
    .toSorted();
  assert.deepEqual(
    edges,
    foreignKeys.rows.map((row) => row.link),
  );
});

test('requests start from the email, phone or customer number, emails compared case-insensitively', () => {
  const holders = (identity: string) =>
    shop().collections.flatMap((c) =>
      c.fields.filter((f) => f.identity === identity).map((f) => `${c.name}.${f.name}`),
    );
  assert.deepEqual(holders('email'), ['customers.email']);
  assert.deepEqual(holders('customer_id'), ['customers.id']);
  assert.deepEqual(holders('phone'), ['customers.phone']);
  assert.equal(dataMap.identities.find((i) => i.name === 'email')?.match, 'case_insensitive');
});

test('payments and orders are held 10 years under Art. 17(3)(b); free text and device data are removed', () => {
  for (const name of ['payments', 'orders']) {
    const erasure = collection(name).erasure;
    assert.ok(erasure?.strategy === 'keep', name);
    assert.equal(erasure.article, 'Art. 17(3)(b)');
    assert.equal(erasure.period, '10y');
  }
  const field = (c: string, f: string) => collection(c).fields.find((x) => x.name === f)?.erasure?.strategy;
  assert.equal(field('support_tickets', 'body'), 'null');
  assert.equal(field('orders', 'gift_recipient_name'), 'null');
  assert.equal(field('sessions', 'ip_address'), 'null');
  assert.equal(collection('marketing_events').erasure?.strategy, 'delete_row');
});

/** `character(2)` and `char(2)`, `numeric(12,2)` with or without a space: one spelling. */
function canonicalType(type: string): string {
  return type
    .replace(/\s+/g, '')
    .replace(/^character\(/, 'char(')
    .replace(/^timestampwithtimezone$/, 'timestamptz');
}
