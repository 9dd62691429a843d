import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { aConfigFile, runSteward } from '../../../../test/support/steward-process.ts';
import {
  aDemoShopDatabase,
  createPostgresDatabase,
  databaseUrl,
  withConnection,
} from '../../../../test/support/test-database.ts';

/**
 * The README's `steward dsr plan --type erasure --email …`, typed by a newcomer beside the demo:
 * with --demo it plans on the demo shop (read live, estimates included); without it the data map is
 * empty, which it says instead of "no collection holds these identities".
 */
let configFile: string;
let steward: { url: string; drop(): Promise<void> };
const shop = aDemoShopDatabase();

before(async () => {
  steward = await createPostgresDatabase();
  const root = mkdtempSync(join(tmpdir(), 'steward-dsr-plan-demo-'));
  configFile = aConfigFile({
    database: { url: steward.url },
    datamap: { path: join(root, 'datamap') },
    demo: { database: shop.name, dataDir: join(root, 'demo'), people: 30 },
    dsr: { dataDir: join(root, 'dsr') },
  });
});
after(async () => {
  await steward?.drop();
  await shop.drop();
});

const steward_ = (args: string[]) => runSteward([...args, '--config', configFile], { timeoutMs: 120_000 });

test('without --demo an empty data map is said to be empty, with the fix', async () => {
  const plan = await steward_(['dsr', 'plan', '--type', 'erasure', '--email', 'ann@example.com']);
  assert.equal(plan.code, 65, plan.stderr);
  assert.equal(
    plan.stderr,
    'steward: The data map of tenant default declares no system, so there is nothing to plan (steward datamap show says what it holds; the demo shop needs --demo).\n',
  );
});

test('with --demo the erasure of a demo customer is planned on the shop, with live estimates', async () => {
  const first = await steward_([
    'dsr',
    'plan',
    '--demo',
    '--type',
    'access',
    '--email',
    'nobody@example.com',
  ]);
  assert.equal(first.code, 0, first.stderr);
  const customer = await withConnection(databaseUrl(steward.url, shop.name), async (client) => {
    const row = await client.query<{ email: string; orders: string }>(
      'select c.email, (select count(*) from orders o where o.customer_id = c.id) as orders from customers c order by c.id limit 1',
    );
    return row.rows[0]!;
  });
  const plan = await steward_([
    'dsr',
    'plan',
    '--demo',
    '--type',
    'erasure',
    '--email',
    customer.email,
    '--estimate',
    '--json',
  ]);
  assert.equal(plan.code, 0, plan.stderr);
  const shown = JSON.parse(plan.stdout);
  assert.deepEqual(
    shown.systems.map((s: { system: string }) => s.system),
    ['shop'],
  );
  const orders = shown.systems[0].steps.find((step: { collection: string }) => step.collection === 'orders');
  assert.equal(orders.estimatedRows, Number(customer.orders), 'the estimate is the shop’s own count');
});
