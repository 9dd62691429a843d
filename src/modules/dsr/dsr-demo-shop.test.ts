import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  aDemoShopDatabase,
  POSTGRES_ADMIN_URL,
  databaseUrl,
  withConnection,
} from '../../../test/support/test-database.ts';
import { ensureDemoShop } from '../demo/api.ts';
import { startDsrTestApp, type DsrTestApp } from '../../../test/support/start-dsr-test-app.ts';
import { waitUntil } from '../../../test/support/wait-until.ts';

interface Customer {
  id: number;
  email: string;
  first_name: string;
}

function withShop<T>(
  database: string,
  read: (query: <R>(sql: string, params?: unknown[]) => Promise<R[]>) => Promise<T>,
): Promise<T> {
  return withConnection(databaseUrl(POSTGRES_ADMIN_URL, database), (client) =>
    read(async (sql, params) => (await client.query(sql, params)).rows as never),
  );
}

describe(`the demo shop works out of the box`, () => {
  const root = mkdtempSync(join(tmpdir(), 'steward-dsr-demo-'));
  const shop = aDemoShopDatabase();
  const shopDatabase = shop.name;
  let customer: Customer;
  let t: DsrTestApp;

  before(async () => {
    // The shop's history ends today, so recent orders are still under their 10-year tax hold.
    await ensureDemoShop({ serverUrl: POSTGRES_ADMIN_URL, database: shopDatabase, people: 30 });
    // A customer with an order from the last two years: something to return and something the tax hold keeps.
    const [first] = await withShop(shopDatabase, (query) =>
      query<Customer>(
        "select c.id, c.email, c.first_name from customers c where exists (select 1 from orders o where o.customer_id = c.id and o.placed_at > now() - interval '2 years') order by c.id limit 1",
      ),
    );
    assert.ok(first);
    customer = first;
    t = await startDsrTestApp({
      work: true,
      dsr: { approvalRequired: [] },
      config: {
        demo: { enabled: true, database: shopDatabase, dataDir: join(root, 'demo'), people: 30 },
        datamap: { path: join(root, 'no-own-datamap') },
      },
    });
  });
  after(async () => {
    await t?.close();
    await shop.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const closed = (id: string) =>
    waitUntil(
      `request ${id} is closed`,
      async () => {
        const row = await t.database.db
          .selectFrom('dsr_requests')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return row.closed_at ? row : undefined;
      },
      90_000,
    );

  async function submit(type: string): Promise<string> {
    // The customer types their address in upper case: emails compare case-insensitively.
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: await t.headers('request_agent'),
      payload: { type, identities: { email: customer.email.toUpperCase() }, identityVerified: true },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().id;
  }

  test('an access request for one of its customers returns their data', async () => {
    const id = await submit('access');
    const request = await closed(id);
    assert.equal(request.state, 'completed', request.outcome_reason ?? '');
    const detail = (
      await t.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: await t.headers('auditor') })
    ).json();
    const collections = detail.result['access:shop'].collections as { collection: string; rows: number }[];
    assert.deepEqual(
      collections.find((c) => c.collection === 'customers'),
      { collection: 'customers', rows: 1 },
    );
    assert.ok(collections.find((c) => c.collection === 'orders')!.rows > 0);
    assert.ok(detail.package.rows > 1);
  });

  test('an erasure request erases what may be erased and keeps recent invoices under the tax hold, saying why', async () => {
    const ordersBefore = await withShopWhenIdle(() =>
      withShop(shopDatabase, (query) =>
        query<{ n: number }>('select count(*)::int as n from orders where customer_id = $1', [customer.id]),
      ),
    );
    const id = await submit('erasure');
    const request = await closed(id);
    assert.equal(request.state, 'completed', request.outcome_reason ?? '');
    const report = (
      request.result as Record<
        string,
        {
          report: {
            collections: {
              collection: string;
              rowsDeleted: number;
              rowsKept: { ground?: string; count: number; reason: string }[];
              fieldsMasked: Record<string, number>;
            }[];
          };
        }
      >
    )['erase:shop']!.report;
    const kept = report.collections.flatMap((c) =>
      c.rowsKept.map((k) => ({ collection: c.collection, ...k })),
    );
    assert.ok(
      kept.some((k) => k.ground === 'legal_obligation' && k.count > 0),
      `a legal hold keeps rows: ${JSON.stringify(kept)}`,
    );
    assert.ok(
      kept.every((k) => typeof k.reason === 'string' && k.reason.length > 0),
      'every kept row says why',
    );
    const orders = report.collections.find((c) => c.collection === 'orders')!;
    assert.ok(
      orders.rowsKept.some((k) => k.ground === 'legal_obligation' && k.count > 0),
      `recent orders are kept: ${JSON.stringify(orders)}`,
    );
    assert.equal(
      orders.rowsKept.reduce((n, k) => n + k.count, 0) + orders.rowsDeleted,
      ordersBefore[0]!.n,
      'each order is either kept with a reason or deleted',
    );
    const customers = report.collections.find((c) => c.collection === 'customers')!;
    assert.equal(customers.fieldsMasked.first_name, 1);

    // Steward lets go of the shop when it stops; then the shop itself shows the result.
    await t.close();
    const [after] = await withShop(shopDatabase, (query) =>
      query<Customer>('select id, email, first_name from customers where id = $1', [customer.id]),
    );
    assert.equal(after!.first_name, 'erased');
    assert.notEqual(after!.email.toLowerCase(), customer.email.toLowerCase());
    const [recent] = await withShop(shopDatabase, (query) =>
      query<{ n: number }>(
        "select count(*)::int as n from orders where customer_id = $1 and placed_at > now() - interval '2 years'",
        [customer.id],
      ),
    );
    assert.ok(recent!.n > 0, 'recent orders stay for the tax period');
  });

  /** The shop's directory is locked while Steward's connector has it open; read it before the request runs. */
  async function withShopWhenIdle<T>(read: () => Promise<T>): Promise<T> {
    await t.services.connectors.closeAll();
    return read();
  }
});
