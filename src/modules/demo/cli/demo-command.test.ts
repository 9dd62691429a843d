import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, test } from 'node:test';
import { aConfigFile, runSteward, spawnSteward } from '../../../../test/support/steward-process.ts';
import {
  aDemoShopDatabase,
  createPostgresDatabase,
  POSTGRES_ADMIN_URL,
} from '../../../../test/support/test-database.ts';
import { databaseUrl, readSeedMarker, withConnection } from '../shop/shop-database.ts';

const configFile = aConfigFile({ demo: { people: 20 }, server: { port: 0 }, logging: { level: 'warn' } });
const folder = dirname(configFile);
after(() => rmSync(folder, { recursive: true, force: true }));

test('`steward demo` creates the shop once in the embedded server, reuses it, and `--reset` seeds it again', async () => {
  const first = await runSteward(['demo', '--json', '-c', configFile]);
  assert.equal(first.code, 0, first.stderr);
  const created = JSON.parse(first.stdout) as {
    outcome: string;
    counts: Record<string, number>;
    dataMapPath: string;
    database: string;
    url?: string;
  };
  assert.equal(created.outcome, 'created');
  assert.equal(created.database, 'steward_demo_shop');
  assert.equal(created.url, undefined, 'the connection URL is never printed');
  assert.equal(
    existsSync(`${folder}/.steward/pg/PG_VERSION`),
    true,
    'in the embedded server, beside the config file',
  );
  assert.equal(created.counts.customers, 20);
  assert.equal(existsSync(created.dataMapPath), true);

  const again = await runSteward(['demo', '-c', configFile]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /reused/);
  assert.match(again.stdout, /customers\s+20\n/);

  const unconfirmed = await runSteward(['demo', '--reset', '--people', '30', '-c', configFile]);
  assert.equal(unconfirmed.code, 65, 'a reset from a script needs --yes');
  assert.match(unconfirmed.stderr, /drops the demo shop database .* Add --yes/);
  const reset = await runSteward(['demo', '--reset', '--people', '30', '--json', '--yes', '-c', configFile]);
  assert.equal(reset.code, 0, reset.stderr);
  const recreated = JSON.parse(reset.stdout) as {
    outcome: string;
    reason: string;
    counts: Record<string, number>;
  };
  assert.equal(recreated.outcome, 'recreated');
  assert.equal(recreated.counts.customers, 30);
});

test('`steward demo --people` rejects a number outside the allowed range', async () => {
  const result = await runSteward(['demo', '--people', '5', '-c', configFile]);
  assert.equal(result.code, 65);
  assert.match(result.stderr, /--people 5/);
});

test(`\`steward serve --demo\` seeds the shop before it listens`, async () => {
  const postgres = await createPostgresDatabase();
  const shop = aDemoShopDatabase();
  const serveConfig = aConfigFile({
    demo: { people: 20, database: shop.name },
    server: { port: 0 },
    logging: { level: 'warn' },
    database: { url: postgres.url },
  });
  const serving = spawnSteward(['serve', '--demo', '-c', serveConfig]);
  try {
    await serving.waitForStdout(/is listening on (http:\/\/\S+)/);
    const marker = await withConnection(databaseUrl(POSTGRES_ADMIN_URL, shop.name), readSeedMarker);
    assert.equal(marker?.people, 20, 'the shop is seeded in its database on the same server');
  } finally {
    const exit = await serving.stop();
    await postgres.drop();
    await shop.drop();
    rmSync(dirname(serveConfig), { recursive: true, force: true });
    assert.equal(exit.code, 0, serving.stderr());
  }
});
