import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createPostgresDatabase } from '../../../../test/support/test-database.ts';
import { writeExampleDataMap } from '../example-datamap.ts';

const STEWARD = join(import.meta.dirname, '..', '..', '..', 'app', 'cli', 'steward.ts');

/** Runs the real CLI in `cwd` (no steward.yaml there: defaults, data map in ./datamap). */
function steward(cwd: string, ...args: string[]) {
  return stewardWithEnv(cwd, {}, ...args);
}

function stewardWithEnv(cwd: string, env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [STEWARD, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, STEWARD_CONFIG: '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let shopDatabase: { url: string; drop(): Promise<void> };
before(async () => {
  shopDatabase = await createPostgresDatabase();
  const client = new pg.Client({ connectionString: shopDatabase.url });
  await client.connect();
  await client.query(`
    create table customers (id bigserial primary key, email varchar(255) not null, full_name text);
    create table orders (id bigserial primary key, customer_id bigint not null references customers(id) on delete cascade, total numeric(10,2));`);
  await client.end();
});
after(() => shopDatabase.drop());

test('steward datamap validate: a valid folder exits 0 with a summary, a broken one exits 65 with file:line errors', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  writeExampleDataMap(join(cwd, 'datamap'));
  const ok = steward(cwd, 'datamap', 'validate');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, 'Data map is valid: 1 file(s), 2 system(s), 4 collection(s).\n');

  const file = join(cwd, 'datamap', 'example.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      'type: varchar(200), categories: [user.name] }',
      'type: varchar(20), categories: [user.name], erasure: { strategy: hmac, key: env:NAME_KEY } }',
    ),
  );
  const broken = steward(cwd, 'datamap', 'validate');
  assert.equal(broken.status, 65);
  assert.match(
    broken.stderr,
    /example\.yaml:\d+ systems\[0\]\.collections\[0\]\.fields\[2\]\.erasure \(shop\.customers\.name\): hmac \(sha256\) writes 64 hex characters, which do not fit varchar\(20\)/,
  );
});

test('steward datamap generate --url drafts a file that steward datamap validate accepts', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  const generated = steward(
    cwd,
    'datamap',
    'generate',
    '--url',
    shopDatabase.url,
    '--id',
    'shop',
    '--out',
    'datamap/shop.yaml',
  );
  assert.equal(generated.status, 0, generated.stderr);
  const draft = readFileSync(join(cwd, 'datamap', 'shop.yaml'), 'utf8');
  assert.match(
    draft,
    /- \{ name: customer_id, type: bigint, nullable: false, categories: \[ user\.unique_id \], review: true, references: \[ \{ field: customers\.id, direction: from, onDelete: cascade, constraint: orders_customer_id_fkey \} \] \}/,
  );
  assert.match(
    draft,
    /- \{ name: email, type: character varying\(255\), nullable: false, categories: \[ user\.contact\.email \], identity: email, review: true \}/,
  );
  const validated = steward(cwd, 'datamap', 'validate');
  assert.equal(validated.status, 0, validated.stderr);

  const again = steward(cwd, 'datamap', 'generate', '--url', shopDatabase.url, '--out', 'datamap/shop.yaml');
  assert.equal(again.status, 75, 'an existing file is not overwritten without --force');
});

test('steward datamap generate --system reads the connection of a declared system through its secret reference', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  writeFileSync(join(cwd, 'steward.yaml'), 'datamap:\n  path: ./map\n');
  const map = join(cwd, 'map');
  mkdirSync(map);
  writeFileSync(
    join(map, 'shop.yaml'),
    'systems:\n  - id: shop\n    kind: postgres\n    connection: { url: env:SHOP_TEST_DB_URL }\n',
  );
  const missing = steward(cwd, 'datamap', 'generate', '--system', 'shop');
  assert.equal(missing.status, 66);
  assert.match(missing.stderr, /environment variable SHOP_TEST_DB_URL is not set/);

  const generated = stewardWithEnv(
    cwd,
    { SHOP_TEST_DB_URL: shopDatabase.url },
    'datamap',
    'generate',
    '--system',
    'shop',
  );
  assert.equal(generated.status, 0, generated.stderr);
  assert.match(
    generated.stdout,
    /- id: shop\n\s+kind: postgres\n\s+role: controller\n\s+connection:\n\s+url: env:SHOP_TEST_DB_URL/,
  );
  assert.match(generated.stdout, /- name: orders\n/);
  assert.equal(steward(cwd, 'datamap', 'generate', '--system', 'billing').status, 66);
});

test('steward datamap import-fides prints Steward YAML; --json gives it with the notes', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  const fixture = join(import.meta.dirname, '..', 'fides', 'fides-shop-dataset.fixture.yaml');
  const printed = steward(cwd, 'datamap', 'import-fides', fixture);
  assert.equal(printed.status, 0, printed.stderr);
  assert.match(printed.stdout, /^# Imported from a Fides dataset/);
  const json = JSON.parse(steward(cwd, '--json', 'datamap', 'import-fides', fixture).stdout);
  assert.deepEqual(json.notes, [
    'postgres_shop.orders.gift: nested fields (recipient_name, message) imported as one JSON column',
  ]);
  assert.deepEqual(json.problems, []);
});
