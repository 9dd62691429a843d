import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { aConfigFile, runSteward, spawnSteward } from '../../../../test/support/steward-process.ts';
import { createPostgresDatabase, TEST_BACKEND } from '../../../../test/support/test-database.ts';

const configFile = aConfigFile({ demo: { people: 20 }, server: { port: 0 }, logging: { level: 'warn' } });
const folder = dirname(configFile);
const shopDir = join(folder, '.steward', 'demo-shop');
after(() => rmSync(folder, { recursive: true, force: true }));

test('`steward demo` creates the shop once, reuses it, and `--reset` seeds it again', async () => {
  const first = await runSteward(['demo', '--json', '-c', configFile]);
  assert.equal(first.code, 0, first.stderr);
  const created = JSON.parse(first.stdout) as {
    outcome: string;
    counts: Record<string, number>;
    dataMapPath: string;
    dataDir: string;
  };
  assert.equal(created.outcome, 'created');
  assert.equal(created.dataDir, shopDir, 'demo.dataDir resolved against the config file');
  assert.equal(created.counts.customers, 20);
  assert.equal(existsSync(created.dataMapPath), true);

  const again = await runSteward(['demo', '-c', configFile]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /reused/);
  assert.match(again.stdout, /customers\s+20\n/);

  const reset = await runSteward(['demo', '--reset', '--people', '30', '--json', '-c', configFile]);
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

test(`\`steward serve --demo\` seeds the shop before it listens, on ${TEST_BACKEND}`, async () => {
  const postgres = TEST_BACKEND === 'postgres' ? await createPostgresDatabase() : undefined;
  const serveConfig = aConfigFile({
    demo: { people: 20 },
    server: { port: 0 },
    logging: { level: 'warn' },
    ...(postgres ? { database: { url: postgres.url } } : {}),
  });
  const serving = spawnSteward(['serve', '--demo', '-c', serveConfig]);
  try {
    await serving.waitForStdout(/is listening on (http:\/\/\S+)/);
    const serveShop = join(dirname(serveConfig), '.steward', 'demo-shop');
    assert.equal(existsSync(join(serveShop, 'steward-demo-shop.json')), true, 'the shop is in place');
    assert.equal(existsSync(`${serveShop}.datamap.yaml`), true, 'its data map is written beside it');
  } finally {
    const exit = await serving.stop();
    await postgres?.drop();
    rmSync(dirname(serveConfig), { recursive: true, force: true });
    assert.equal(exit.code, 0, serving.stderr());
  }
});
