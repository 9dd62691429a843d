import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  createSourceSystem,
  SOURCE_KINDS,
  type SourceKind,
  type TestSourceSystem,
} from '../../../../../test/support/test-source-systems.ts';
import type { Connector, Row } from '../../../../platform/connectors/connector.ts';
import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import { planAccess, planErasure, planRectification } from '../../core/planning/index.ts';
import {
  estimatePlanRows,
  runAccessForSystem,
  runErasureForSystem,
  runRectificationForSystem,
  type CollectionErasureReport,
} from './index.ts';
import { SHOP_DATA_SQL, SHOP_TABLES, shopDataMap, shopSchemaSql } from './test-shop-fixture.ts';

const HMAC_KEY = 'test-shop-hmac-key-0123456789abcdef';
process.env.TEST_SHOP_HMAC_KEY = HMAC_KEY;
const ANN = { email: ['ann@EXAMPLE.com'] };
/** Measured against this day: Ann's 2024 payment is under its 10-year hold, her 2010 one is not. */
const NOW = new Date('2026-06-01T00:00:00Z');

async function aShop(kind: SourceKind): Promise<{ source: TestSourceSystem; dataMap: DataMap }> {
  const source = await createSourceSystem(kind, 'shop');
  await source.exec(shopSchemaSql(kind));
  await source.exec(SHOP_DATA_SQL);
  return {
    source,
    dataMap: shopDataMap(kind, '{ url: env:TEST_SHOP_URL }'),
  };
}

/** Every row of every table, as text, in a stable order: what "unchanged" is compared on. */
async function snapshot(source: TestSourceSystem): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of SHOP_TABLES) {
    const rows = await source.query<Row>(`SELECT * FROM ${table}`);
    result[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.values(row).map((v) =>
            v === null
              ? null
              : v instanceof Date
                ? v.toISOString()
                : typeof v === 'object'
                  ? JSON.stringify(v)
                  : String(v),
          ),
        ),
      )
      .sort();
  }
  return result;
}

async function ids(source: TestSourceSystem, table: string, column = 'id'): Promise<number[]> {
  return (await source.query<Row>(`SELECT ${column} AS k FROM ${table}`))
    .map((r) => Number(r.k))
    .sort((a, b) => a - b);
}

function byCollection(reports: CollectionErasureReport[]): Record<string, CollectionErasureReport> {
  return Object.fromEntries(reports.map((r) => [r.collection, r]));
}

/** The connector, except that deleting from `table` fails: a worker dying mid-transaction. */
function crashingWhenDeletingFrom(connector: Connector, table: string): Connector {
  return {
    kind: connector.kind,
    read: (spec) => connector.read(spec),
    count: (target, where) => connector.count(target, where),
    session: (work) => connector.session(work),
    close: () => connector.close(),
    transaction: (work) =>
      connector.transaction((tx) =>
        work({
          ...tx,
          delete: async (spec) => {
            if (spec.target.name === table) throw new Error('worker crashed');
            return tx.delete(spec);
          },
        }),
      ),
  };
}

for (const kind of SOURCE_KINDS) {
  describe(`DSR execution on ${kind}`, () => {
    let source: TestSourceSystem;
    let dataMap: DataMap;
    before(async () => {
      ({ source, dataMap } = await aShop(kind));
    });
    after(() => source.close());

    test("access returns exactly the subject's rows across levels, and nobody else's", async () => {
      const plan = planAccess(dataMap, ANN);
      const rows: Record<string, Row[]> = {};
      for await (const page of runAccessForSystem(plan, 'shop', source.connector, { pageSize: 2 })) {
        rows[page.collection] = [...(rows[page.collection] ?? []), ...page.rows];
      }
      const key = (table: string, ...columns: string[]) =>
        (rows[table] ?? []).map((r) => columns.map((c) => Number(r[c])).join('/')).sort();
      // Both accounts, whatever the case of the email.
      assert.deepEqual(key('customers', 'id'), ['1', '2']);
      // Bob's address 300 receives Ann's gift, but it is Bob's: not in Ann's package.
      assert.deepEqual(key('addresses', 'id'), ['100', '200']);
      // Bob's gift to Ann ships to Ann's address, but the order is Bob's.
      assert.deepEqual(key('orders', 'id'), ['10', '11']);
      assert.deepEqual(key('order_items', 'order_id', 'line_no'), ['10/1', '10/2', '11/1']);
      assert.deepEqual(key('payments', 'id'), ['1000', '1100']);
      assert.deepEqual(key('comments', 'id'), ['50', '51']);
      assert.deepEqual(key('signups', 'id'), ['60', '61', '62']);
      assert.deepEqual(key('page_views', 'customer_id'), ['1', '1', '2']);
      const settings = rows.preferences!.find((r) => Number(r.customer_id) === 1)!.settings;
      assert.equal((typeof settings === 'string' ? JSON.parse(settings) : settings).theme, 'dark');
      // Only the data map's fields leave the system.
      assert.deepEqual(Object.keys(rows.orders![0]!).sort(), [
        'customer_id',
        'gift_message',
        'id',
        'placed_at',
        'shipping_address_id',
      ]);
    });

    test('the plan estimates rows per step from the live system', async () => {
      const estimated = await estimatePlanRows(planAccess(dataMap, ANN), 'shop', source.connector);
      const counts = Object.fromEntries(
        estimated.systems[0]!.steps.map((s) => [s.collection, s.estimatedRows]),
      );
      assert.deepEqual(counts, {
        customers: 2,
        addresses: 2,
        orders: 2,
        preferences: 2,
        comments: 2,
        signups: 3,
        page_views: 3,
        order_items: 3,
        payments: 2,
      });
    });

    test('a dry run lists the exact rows and fields that would change, and changes nothing', async () => {
      const before = await snapshot(source);
      const report = await runErasureForSystem(planErasure(dataMap, ANN), 'shop', source.connector, {
        dryRun: true,
        now: NOW,
      });
      assert.deepEqual(await snapshot(source), before);
      const c = byCollection(report.collections);
      const keys = (r: CollectionErasureReport) =>
        r.changes!.deleted.map((row) => Object.values(row).map(Number).join('/')).sort();
      assert.deepEqual(keys(c.customers!), ['2']);
      assert.deepEqual(keys(c.addresses!), ['200']);
      assert.deepEqual(keys(c.orders!), ['11']);
      assert.deepEqual(keys(c.order_items!), ['10/1', '10/2', '11/1']);
      assert.deepEqual(keys(c.payments!), ['1100']);
      assert.deepEqual(keys(c.comments!), ['50', '51']);
      assert.deepEqual(keys(c.signups!), ['60', '61', '62']);
      assert.deepEqual(
        c.customers!.changes!.masked.map((m) => [Number(m.row.id), m.fields]),
        [[1, ['email', 'name']]],
      );
      assert.deepEqual(
        c.addresses!.changes!.masked.map((m) => [Number(m.row.id), m.fields]),
        [[100, ['street', 'city']]],
      );
      assert.equal(c.page_views!.changes!.masked.length, 3);
      assert.equal(report.dryRun, true);
    });

    test('a crash inside the transaction leaves the system unchanged', async () => {
      const before = await snapshot(source);
      await assert.rejects(
        runErasureForSystem(
          planErasure(dataMap, ANN),
          'shop',
          crashingWhenDeletingFrom(source.connector, 'customers'),
          { now: NOW },
        ),
        /worker crashed/,
      );
      assert.deepEqual(await snapshot(source), before);
    });

    test("erasure deletes and masks exactly the subject's data in foreign-key order, keeps legal holds, and leaves the other person intact", async () => {
      const bobBefore = await source.query<Row>('SELECT * FROM orders WHERE customer_id = 3 ORDER BY id');
      const report = await runErasureForSystem(planErasure(dataMap, ANN), 'shop', source.connector, {
        now: NOW,
      });
      const c = byCollection(report.collections);

      // Ann's second account goes entirely; her first stays, masked, because her 2024 invoice must be kept.
      assert.deepEqual(await ids(source, 'customers'), [1, 3]);
      const [ann] = await source.query<Row>('SELECT email, name FROM customers WHERE id = 1');
      assert.equal(ann!.email, createHmac('sha256', HMAC_KEY).update('Ann@Example.com').digest('hex'));
      assert.equal(ann!.name, null);
      assert.deepEqual(
        c.customers!.rowsKept.map((k) => k.count),
        [1],
      );
      assert.match(c.customers!.rowsKept[0]!.reason, /referenced by addresses/);

      // Payments: the 2024 one kept under Art. 17(3)(b) until 2034, the lapsed 2010 one deleted.
      assert.deepEqual(await ids(source, 'payments'), [1000, 3000, 3100]);
      assert.deepEqual(c.payments!.rowsKept, [
        {
          count: 1,
          reason: '§147 AO: accounting records are kept 10 years',
          ground: 'legal_obligation',
          article: 'Art. 17(3)(b)',
          until: '2034-01-10',
        },
      ]);
      assert.equal(c.payments!.rowsDeleted, 1);

      // Orders: the gift to Bob (11) is deleted, its item by ON DELETE CASCADE; order 10 stays for its payment.
      assert.deepEqual(await ids(source, 'orders'), [10, 30, 31]);
      assert.equal(c.order_items!.rowsDeletedByCascade, 1);
      assert.equal(c.order_items!.rowsDeleted, 2);
      assert.deepEqual(
        (await source.query<Row>('SELECT order_id FROM order_items')).map((r) => Number(r.order_id)).sort(),
        [30, 31],
      );

      // Address 100 also receives Bob's gift (31): it stays, masked; address 200 is deleted.
      assert.deepEqual(await ids(source, 'addresses'), [100, 300]);
      const [address] = await source.query<Row>('SELECT street, city FROM addresses WHERE id = 100');
      assert.match(String(address!.street), /^[0-9a-f]{64}$/);
      assert.equal(address!.city, null);

      // Comments: Ann's thread goes; Bob's reply stays, unlinked from the erased comment.
      assert.deepEqual(await ids(source, 'comments'), [52]);
      assert.deepEqual(await source.query<Row>('SELECT parent_id FROM comments WHERE id = 52'), [
        { parent_id: null },
      ]);

      // Signups: deleted by the subject's predicate in one statement, without reading them first.
      assert.deepEqual(await ids(source, 'signups'), [63]);
      assert.equal(c.signups!.rowsDeleted, 3);

      // Preferences (JSON): both of Ann's go, one by cascade with account 2.
      assert.deepEqual(await ids(source, 'preferences', 'customer_id'), [3]);
      assert.equal(c.preferences!.rowsDeletedByCascade, 1);

      // Page views (no primary key): Ann's rows are unlinked from her, their IPs hashed and user agents nulled
      // (all in one statement per row group: the link is also what finds the rows).
      const views = await source.query<Row>(
        'SELECT customer_id, ip, path, user_agent FROM page_views ORDER BY path',
      );
      const view = (path: string) => views.find((v) => v.path === path)!;
      assert.match(String(view('/tea').ip), /^[0-9a-f]{64}$/);
      assert.equal(view('/tea').customer_id, null);
      assert.equal(view('/cake').customer_id, null);
      assert.match(String(view('/cake').ip), /^[0-9a-f]{64}$/);
      assert.equal(view('/tea').user_agent, null);
      assert.equal(view('/cake').user_agent, null);
      assert.equal(view('/pens').ip, '10.0.0.3');
      assert.equal(view('/pens').user_agent, 'Safari');
      assert.equal(view('/').ip, '10.0.0.9');
      assert.deepEqual(c.page_views!.fieldsMasked, { customer_id: 3, ip: 3, user_agent: 3 });

      // Bob: untouched, except that the account that referred him no longer exists.
      assert.deepEqual(
        await source.query<Row>('SELECT * FROM orders WHERE customer_id = 3 ORDER BY id'),
        bobBefore,
      );
      const [bob] = await source.query<Row>(
        'SELECT email, name, referred_by, default_address_id FROM customers WHERE id = 3',
      );
      assert.deepEqual(
        { ...bob, default_address_id: Number(bob!.default_address_id) },
        { email: 'bob@example.com', name: 'Bob', referred_by: null, default_address_id: 300 },
      );
      assert.deepEqual(await source.query<Row>('SELECT street FROM addresses WHERE id = 300'), [
        { street: '3 Bob Lane' },
      ]);
    });

    test('running the erasure again changes nothing', async () => {
      const before = await snapshot(source);
      const again = await runErasureForSystem(planErasure(dataMap, ANN), 'shop', source.connector, {
        now: NOW,
      });
      assert.deepEqual(await snapshot(source), before);
      assert.ok(
        again.collections.every((r) => r.rowsDeleted === 0 && Object.keys(r.fieldsMasked).length === 0),
      );
    });

    test("rectification writes the new value everywhere the data map says it lives, only in the subject's rows", async () => {
      const plan = planRectification(dataMap, { email: ['bob@example.com'] }, [
        { target: { category: 'user.name' }, value: 'Robert' },
        { target: { category: 'user.contact.address.city' }, value: 'Bobcity' },
      ]);
      assert.deepEqual(plan.errors, []);
      const report = await runRectificationForSystem(plan, 'shop', source.connector);
      assert.deepEqual(report.collections, [
        { collection: 'customers', rowsUpdated: 1, fields: ['name'] },
        { collection: 'addresses', rowsUpdated: 1, fields: ['city'] },
      ]);
      assert.deepEqual(await source.query<Row>('SELECT name FROM customers WHERE id = 3'), [
        { name: 'Robert' },
      ]);
      assert.deepEqual(await source.query<Row>('SELECT city FROM addresses ORDER BY id'), [
        { city: null },
        { city: 'Bobcity' },
      ]);
    });
  });
}

test('a hold without an anchor of its own follows the row it was reached from (payments follow their order)', async () => {
  const { source, dataMap: base } = await aShop('postgres');
  try {
    // Orders are kept 10 years from placed_at; payments "as long as their order".
    const dataMap = structuredClone(base);
    const collections = dataMap.systems[0]!.collections;
    const hold = {
      strategy: 'keep' as const,
      ground: 'legal_obligation' as const,
      article: 'Art. 17(3)(b)',
      period: '10y',
      reason: 'accounting record',
    };
    collections.find((c) => c.name === 'orders')!.erasure = { ...hold, anchor: 'placed_at' };
    collections.find((c) => c.name === 'payments')!.erasure = hold;
    const report = await runErasureForSystem(planErasure(dataMap, ANN), 'shop', source.connector, {
      now: NOW,
    });
    const c = byCollection(report.collections);
    assert.deepEqual(await ids(source, 'orders'), [10, 30, 31]);
    assert.deepEqual(await ids(source, 'payments'), [1000, 3000, 3100]);
    assert.deepEqual(
      c.payments!.rowsKept.map((k) => [k.count, k.until]),
      [[1, '2034-01-10']],
    );
    assert.equal(c.payments!.rowsDeleted, 1);
  } finally {
    await source.close();
  }
});
