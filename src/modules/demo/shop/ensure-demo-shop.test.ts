import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { isDomainError } from '../../../kernel/errors/domain-error.ts';
import { POSTGRES_ADMIN_URL } from '../../../../test/support/test-database.ts';
import { DEMO_SHOP_DATAMAP } from './demo-shop-datamap.ts';
import { ensureDemoShop, type DemoShopSummary } from './ensure-demo-shop.ts';
import { databaseUrl, withConnection } from './shop-database.ts';
import { SEED_MARKER_TABLE, SHOP_TABLES } from './shop-schema.ts';

const PEOPLE = 50;
const REFERENCE_DATE = '2025-06-01';
const YEARS_3 = "interval '3 years'";

/** Every shop database a test made (and its staging twin), dropped at the end. */
const made: string[] = [];
after(() =>
  withConnection(POSTGRES_ADMIN_URL, async (admin) => {
    for (const name of made.flatMap((n) => [n, `${n}__seeding`]))
      await admin.query(`drop database if exists ${name} with (force)`);
  }),
);

/** A database name on the test server for one shop, unique to this run. */
function aShopDatabase(name: string): string {
  const database = `steward_demo_${randomBytes(4).toString('hex')}_${name.replaceAll('-', '_')}`;
  made.push(database);
  return database;
}

function seedSmallShop(
  database: string,
  extra: { seed?: number; onProgress?: Parameters<typeof ensureDemoShop>[0]['onProgress'] } = {},
) {
  return ensureDemoShop({
    serverUrl: POSTGRES_ADMIN_URL,
    database,
    people: PEOPLE,
    referenceDate: REFERENCE_DATE,
    ...extra,
  });
}

function withShop<T>(database: string, read: (client: pg.Client) => Promise<T>): Promise<T> {
  return withConnection(databaseUrl(POSTGRES_ADMIN_URL, database), read);
}

function databaseExists(database: string): Promise<boolean> {
  return withConnection(POSTGRES_ADMIN_URL, async (admin) =>
    Boolean((await admin.query('select 1 from pg_database where datname = $1', [database])).rowCount),
  );
}

/** A hash of every row of every shop table, in a stable order (sessions have no key: all columns). */
function fingerprint(shopDatabase: string): Promise<string> {
  return withShop(shopDatabase, async (pglite) => {
    const hash = createHash('sha256');
    for (const table of SHOP_TABLES) {
      const columns = await pglite.query<{ n: number }>(
        `select count(*)::int as n from information_schema.columns where table_name = $1`,
        [table],
      );
      const order = Array.from({ length: columns.rows[0]?.n ?? 0 }, (_, index) => index + 1).join(', ');
      const rows = await pglite.query(`select * from ${table} order by ${order}`);
      hash.update(`${table}:${JSON.stringify(rows.rows)}\n`);
    }
    return hash.digest('hex');
  });
}

async function scalar(pglite: pg.Client, query: string): Promise<number> {
  const result = await pglite.query<{ n: number }>(query);
  return result.rows[0]?.n ?? Number.NaN;
}

describe('a freshly seeded demo shop', () => {
  const shopDatabase = aShopDatabase('fresh');
  let created: DemoShopSummary;
  const progress: string[] = [];

  before(async () => {
    created = await seedSmallShop(shopDatabase, { onProgress: (p) => progress.push(p.phase) });
  });

  test('reports what it created, with counts in range and where its data map is', async () => {
    assert.equal(created.outcome, 'created');
    assert.equal(created.people, PEOPLE);
    assert.equal(created.referenceDate, REFERENCE_DATE);
    assert.equal(created.counts.customers, PEOPLE);
    assert.ok(
      created.counts.addresses >= PEOPLE && created.counts.addresses <= PEOPLE * 3,
      `addresses: ${created.counts.addresses}`,
    );
    assert.ok(
      created.counts.orders >= PEOPLE && created.counts.orders <= PEOPLE * 6,
      `orders: ${created.counts.orders}`,
    );
    assert.ok(created.counts.order_items >= created.counts.orders, 'every order has at least one line');
    assert.ok(
      created.counts.payments > 0 && created.counts.payments <= created.counts.orders,
      'at most one payment per order',
    );
    for (const table of ['support_tickets', 'marketing_events', 'sessions'] as const)
      assert.ok(created.counts[table] > 0, table);
    assert.equal(created.dataMapPath, DEMO_SHOP_DATAMAP);
    assert.deepEqual([progress[0], progress[1], progress.at(-1)], ['checking', 'creating', 'done']);
    assert.ok(progress.includes('seeding'));
    assert.equal(
      await databaseExists(`${shopDatabase}__seeding`),
      false,
      'the staging database is renamed into place',
    );
  });

  test('has the foreign-key graph with its mixed ON DELETE rules, a composite key and a table without a primary key', async () => {
    const foreignKeys = await withShop(shopDatabase, async (pglite) => {
      const result = await pglite.query<{ link: string }>(`
        select format('%s.%s -> %s.%s %s', tc.table_name, kcu.column_name, ccu.table_name, ccu.column_name, rc.delete_rule) as link
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
        join information_schema.referential_constraints rc on rc.constraint_name = tc.constraint_name
        where tc.constraint_type = 'FOREIGN KEY' order by 1`);
      return result.rows.map((row) => row.link);
    });
    assert.deepEqual(foreignKeys, [
      'addresses.customer_id -> customers.id NO ACTION',
      'customers.referred_by -> customers.id NO ACTION',
      'marketing_events.customer_id -> customers.id NO ACTION',
      'order_items.order_id -> orders.id CASCADE',
      'orders.customer_id -> customers.id RESTRICT',
      'orders.shipping_address_id -> addresses.id RESTRICT',
      'payments.order_id -> orders.id RESTRICT',
      'sessions.customer_id -> customers.id SET NULL',
      'support_tickets.customer_id -> customers.id NO ACTION',
    ]);
    const primaryKeys = await withShop(shopDatabase, async (pglite) => {
      const result = await pglite.query<{ table_name: string; columns: string }>(`
        select tc.table_name, string_agg(kcu.column_name, ',' order by kcu.ordinal_position) as columns
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
        where tc.constraint_type = 'PRIMARY KEY' group by tc.table_name`);
      return Object.fromEntries(result.rows.map((row) => [row.table_name, row.columns]));
    });
    assert.equal(primaryKeys.order_items, 'order_id,line_no');
    assert.equal(primaryKeys.sessions, undefined, 'sessions has no primary key');
    assert.equal(primaryKeys.customers, 'id');
  });

  test("gift orders ship to an address of a different person, under that person's name", async () => {
    const gifts = await withShop(shopDatabase, async (pglite) => {
      const result = await pglite.query<{
        buyer: number;
        address_owner: number;
        recipient: string;
        owner_name: string;
      }>(`
        select o.customer_id as buyer, a.customer_id as address_owner, o.gift_recipient_name as recipient,
               c.first_name || ' ' || c.last_name as owner_name
        from orders o join addresses a on a.id = o.shipping_address_id join customers c on c.id = a.customer_id
        where o.is_gift`);
      return result.rows;
    });
    assert.ok(gifts.length > 0, 'there are gift orders');
    for (const gift of gifts) {
      assert.notEqual(gift.address_owner, gift.buyer);
      assert.equal(gift.recipient, gift.owner_name);
    }
    const ownOrdersShippedElsewhere = await withShop(shopDatabase, (pglite) =>
      scalar(
        pglite,
        `select count(*)::int as n from orders o join addresses a on a.id = o.shipping_address_id where not o.is_gift and a.customer_id <> o.customer_id`,
      ),
    );
    assert.equal(ownOrdersShippedElsewhere, 0);
  });

  test('holds the personal data a retention rule and an erasure have to deal with', async () => {
    await withShop(shopDatabase, async (pglite) => {
      const ref = `timestamptz '${REFERENCE_DATE}'`;
      assert.ok(
        (await scalar(
          pglite,
          `select count(*)::int as n from customers where status = 'inactive' and last_login_at < ${ref} - ${YEARS_3}`,
        )) > 0,
        'inactive for 3+ years',
      );
      assert.ok(
        (await scalar(
          pglite,
          `select count(*)::int as n from marketing_events where occurred_at < ${ref} - ${YEARS_3}`,
        )) > 0,
        'marketing events older than 3 years',
      );
      assert.ok(
        (await scalar(pglite, `select count(*)::int as n from customers where email <> lower(email)`)) > 0,
        'emails stored in mixed case',
      );
      assert.equal(
        await scalar(
          pglite,
          `select count(*)::int as n from customers where phone is not null and phone !~ '^\\+[1-9][0-9]{7,14}$'`,
        ),
        0,
        'phones are E.164',
      );
      assert.ok(
        (await scalar(pglite, `select count(distinct country)::int as n from addresses`)) >= 3,
        'EU and US addresses',
      );
      assert.ok(
        (await scalar(
          pglite,
          `select count(*)::int as n from support_tickets t join customers c on c.id = t.customer_id where t.body ilike '%' || c.email || '%'`,
        )) > 0,
        'ticket bodies mention emails',
      );
      assert.ok(
        (await scalar(pglite, `select count(*)::int as n from sessions where customer_id is null`)) > 0,
        'anonymous sessions',
      );
      assert.ok(
        (await scalar(pglite, `select count(*)::int as n from customers where referred_by is not null`)) > 0,
        'referrals',
      );
      assert.ok(
        (await scalar(
          pglite,
          `select count(*)::int as n from payments where paid_at < ${ref} - interval '3 years'`,
        )) > 0,
        'old payments under the tax hold',
      );
    });
  });

  test('a second call reuses the shop instead of seeding again', async () => {
    await withShop(shopDatabase, (pglite) => pglite.query(`delete from sessions where customer_id is null`));
    const again = await seedSmallShop(shopDatabase);
    assert.equal(again.outcome, 'reused');
    assert.equal(again.seededAt, created.seededAt, 'the same seed as before');
    assert.equal(
      again.counts.sessions < created.counts.sessions,
      true,
      'the change made since is still there',
    );
    assert.equal(again.counts.customers, created.counts.customers);
  });
});

test('two seeds with the same seed give identical rows; another seed gives other rows', async () => {
  const first = aShopDatabase('same-a');
  const second = aShopDatabase('same-b');
  const other = aShopDatabase('other');
  await seedSmallShop(first);
  await seedSmallShop(second);
  await seedSmallShop(other, { seed: 7 });
  const [a, b, c] = [await fingerprint(first), await fingerprint(second), await fingerprint(other)];
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('an interrupted seed leaves no shop behind and is redone from scratch on the next start', async () => {
  const shopDatabase = aShopDatabase('interrupted');
  await assert.rejects(
    seedSmallShop(shopDatabase, {
      onProgress: (progress) => {
        if (progress.phase === 'seeding') throw new Error('power cut');
      },
    }),
    /power cut/,
  );
  assert.equal(await databaseExists(shopDatabase), false, 'no half-seeded shop under the shop database name');
  assert.equal(
    await databaseExists(`${shopDatabase}__seeding`),
    true,
    'the unfinished staging database is left, as after a crash',
  );

  const redone = await seedSmallShop(shopDatabase);
  assert.equal(redone.outcome, 'created');
  assert.equal(redone.counts.customers, PEOPLE);
  assert.equal(await databaseExists(`${shopDatabase}__seeding`), false);
  const reference = aShopDatabase('interrupted-reference');
  await seedSmallShop(reference);
  assert.equal(
    await fingerprint(shopDatabase),
    await fingerprint(reference),
    'identical to an uninterrupted seed',
  );
});

test('a shop whose seed marker is missing is detected and replaced by a complete one', async () => {
  const shopDatabase = aShopDatabase('unmarked');
  await seedSmallShop(shopDatabase);
  await withShop(shopDatabase, (pglite) => pglite.query(`delete from ${SEED_MARKER_TABLE}`));
  const replaced = await seedSmallShop(shopDatabase);
  assert.equal(replaced.outcome, 'recreated');
  assert.match(replaced.reason ?? '', /did not finish/);
  assert.equal(replaced.counts.customers, PEOPLE);
  const marked = await withShop(shopDatabase, (pglite) =>
    scalar(pglite, `select count(*)::int as n from ${SEED_MARKER_TABLE}`),
  );
  assert.equal(marked, 1);
});

test('a database that is not a demo shop is never dropped', async () => {
  const shopDatabase = aShopDatabase('someone-elses');
  await withConnection(POSTGRES_ADMIN_URL, (admin) => admin.query(`create database ${shopDatabase}`));
  await withShop(shopDatabase, (client) =>
    client.query('create table important (note text); insert into important values ($$keep me$$)'),
  );
  await assert.rejects(
    seedSmallShop(shopDatabase),
    (error) => isDomainError(error) && error.code === 'demo.database_not_a_shop',
  );
  assert.equal(
    await withShop(shopDatabase, (client) => scalar(client, 'select count(*)::int as n from important')),
    1,
  );
});
