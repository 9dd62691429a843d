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
 * The README's masked copy, as a newcomer types it on the demo: `steward mask plan --from shop`
 * and `mask copy` need the demo shop in the data map (--demo, like discover and flows) and a
 * masking key; each missing piece is one line that says what to do.
 */
let root: string;
let configFile: string;
let steward: { url: string; drop(): Promise<void> };
let scratch: { url: string; drop(): Promise<void> };
const shop = aDemoShopDatabase();

before(async () => {
  steward = await createPostgresDatabase();
  scratch = await createPostgresDatabase('steward_mask_scratch');
  root = mkdtempSync(join(tmpdir(), 'steward-mask-cli-'));
  configFile = aConfigFile({
    database: { url: steward.url },
    datamap: { path: join(root, 'datamap') },
    demo: { database: shop.name, dataDir: join(root, 'demo'), people: 40 },
    dsr: { dataDir: join(root, 'dsr') },
  });
});
after(async () => {
  await steward?.drop();
  await scratch?.drop();
  await shop.drop();
});

const steward_ = (args: string[], env: Record<string, string> = {}) =>
  runSteward([...args, '--config', configFile], { timeoutMs: 120_000, env });

test('without --demo the shop is not in the data map, and the refusal says so in one line', async () => {
  const plan = await steward_(['mask', 'plan', '--from', 'shop']);
  assert.equal(plan.code, 66, plan.stderr);
  assert.match(
    plan.stderr,
    /^steward: System shop is not in the data map of tenant default\. It declares no system at all \(the demo shop is added by --demo\)\.\n$/,
  );
});

test('with --demo and no masking key yet, the refusal names the command that stores one', async () => {
  const plan = await steward_(['mask', 'plan', '--from', 'shop', '--demo']);
  assert.equal(plan.code, 66, plan.stderr);
  assert.match(
    plan.stderr,
    /No secret masking-key in tenant default\. Store it with `steward secrets set masking-key`/,
  );
});

test('mask plan and copy --demo copy the demo shop into an empty database, masked', async () => {
  const key = { MASK_KEY: 'a-masking-key-for-the-test-only-0123456789' };
  const plan = await steward_(['mask', 'plan', '--from', 'shop', '--demo', '--key', 'env:MASK_KEY'], key);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /public\.customers/);

  const copy = await steward_(
    [
      'mask',
      'copy',
      '--from',
      'shop',
      '--demo',
      '--key',
      'env:MASK_KEY',
      '--to',
      'env:SCRATCH_URL',
      '--json',
    ],
    { ...key, SCRATCH_URL: scratch.url },
  );
  assert.equal(copy.code, 0, copy.stderr);
  assert.equal(JSON.parse(copy.stdout).state, 'completed');

  const source = await withConnection(databaseUrl(steward.url, shop.name), async (client) =>
    (await client.query<{ email: string }>('select email from customers order by id')).rows.map(
      (r) => r.email,
    ),
  );
  const copied = await withConnection(scratch.url, async (client) =>
    (await client.query<{ email: string }>('select email from customers order by id')).rows.map(
      (r) => r.email,
    ),
  );
  assert.equal(copied.length, source.length);
  assert.equal(source.length, 40);
  const sourceEmails = new Set(source.map((e) => e.toLowerCase()));
  assert.deepEqual(
    copied.filter((e) => sourceEmails.has(e.toLowerCase())),
    [],
    'no e-mail of the shop is in the copy',
  );
});
