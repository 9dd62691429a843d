import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import {
  CRM_DATA,
  CRM_TABLES,
  KEYS,
  PERSONAL_VALUES,
  SHOP_DATA,
  SHOP_TABLES,
  adversarialDataMapYaml,
  crmSchema,
  shopSchema,
} from '../../../test/fixtures/dsr/adversarial-systems.ts';
import {
  assertOnlyExpectedChanges,
  findValues,
  snapshotOf,
  type ExpectedChanges,
  type Snapshot,
} from '../../../test/fixtures/dsr/table-snapshots.ts';
import { aConfigFile, runSteward } from '../../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../../test/support/test-database.ts';
import {
  createSourceSystem,
  MARIADB_ADMIN_URL,
  type SourceKind,
  type TestSourceSystem,
} from '../../../test/support/test-source-systems.ts';
import { unzipText } from '../../../test/support/unzip-text.ts';
import type { ErasureReport } from './use-cases/execution/execution-report.ts';
import { startDsrTestApp, type DsrTestApp } from '../../../test/support/start-dsr-test-app.ts';
import { waitUntil } from '../../../test/support/wait-until.ts';

const run = promisify(execFile);
const HMAC_KEY = 'adversarial-hmac-key-0123456789abcdef';
process.env.TEST_ADVERSARIAL_HMAC_KEY = HMAC_KEY;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Issue 11 and 18's acceptance on real databases: four people are erased one after the other from
 * a PostgreSQL shop and a MariaDB CRM through the request lifecycle (a worker runs the steps), and
 * after each erasure every table of both systems is read with plain SQL: exactly the expected rows
 * are gone or masked, every other row is byte-identical, the person's values are nowhere outside
 * declared holds, and the request's state and report say exactly that. Then a backup taken before
 * any erasure is restored (pg_dump, mariadb-dump) and `steward dsr replay-erasures` brings both
 * systems to the same state, printing the same report.
 */
const NAMES: Record<SourceKind, string> = { postgres: 'PostgreSQL', mysql: 'MariaDB' };

for (const kinds of [
  { shop: 'postgres', crm: 'mysql' },
  { shop: 'mysql', crm: 'postgres' },
] as const)
  describe(`erasure proven by reading every table of a ${NAMES[kinds.shop]} shop and a ${NAMES[kinds.crm]} CRM`, () => {
    let shop: TestSourceSystem;
    let crm: TestSourceSystem;
    let t: DsrTestApp;
    let agent: Record<string, string>;
    let dataMapDir: string;
    let backupDir: string;
    let state: { shop: Snapshot; crm: Snapshot };

    const snapshots = async () => ({
      shop: await snapshotOf(shop, SHOP_TABLES, KEYS),
      crm: await snapshotOf(crm, CRM_TABLES, KEYS),
    });

    before(async () => {
      shop = await createSourceSystem(kinds.shop, 'shop');
      crm = await createSourceSystem(kinds.crm, 'crm');
      await shop.exec(shopSchema(kinds.shop));
      await shop.exec(SHOP_DATA);
      await crm.exec(crmSchema(kinds.crm));
      await crm.exec(CRM_DATA);
      // The backup an operator would restore: taken before any request ran.
      backupDir = await mkdtemp(join(tmpdir(), 'steward-backup-'));
      await writeFile(join(backupDir, 'shop.sql'), await dump(shop));
      await writeFile(join(backupDir, 'crm.sql'), await dump(crm));
      process.env.TEST_ADVERSARIAL_SHOP_URL = shop.url;
      process.env.TEST_ADVERSARIAL_CRM_URL = crm.url;
      dataMapDir = await mkdtemp(join(tmpdir(), 'steward-datamap-'));
      await writeFile(
        join(dataMapDir, 'systems.yaml'),
        adversarialDataMapYaml('env:TEST_ADVERSARIAL_HMAC_KEY', kinds),
      );
      t = await startDsrTestApp({
        work: true,
        dsr: { approvalRequired: [] },
        config: { datamap: { path: dataMapDir } },
      });
      agent = await t.headers('request_agent');
      state = await snapshots();
    });
    after(async () => {
      await t?.close();
      await shop?.close();
      await crm?.close();
      await rm(dataMapDir, { recursive: true, force: true });
      await rm(backupDir, { recursive: true, force: true });
    });

    /** A steward.yaml for CLI processes on the test's Steward database, data map and DSR key. */
    const cliConfig = () =>
      aConfigFile({
        database: { url: t.database.url },
        datamap: { path: dataMapDir },
        dsr: { dataDir: t.dataDir },
      });
    const cliEnv = (urls: { shop?: string; crm?: string } = {}) => ({
      TEST_ADVERSARIAL_SHOP_URL: urls.shop ?? shop.url!,
      TEST_ADVERSARIAL_CRM_URL: urls.crm ?? crm.url!,
      TEST_ADVERSARIAL_HMAC_KEY: HMAC_KEY,
    });

    /** Submits a verified erasure through the API and waits until the worker closed it. */
    async function erase(identities: Record<string, string>) {
      const submitted = await t.app.inject({
        method: 'POST',
        url: '/v1/requests',
        headers: agent,
        payload: { type: 'erasure', identities, identityVerified: true },
      });
      assert.equal(submitted.statusCode, 201, submitted.body);
      const { id } = submitted.json();
      const request = await waitUntil(
        `erasure ${id} is closed`,
        async () => {
          const row = await t.database.db
            .selectFrom('dsr_requests')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          return row.closed_at ? row : undefined;
        },
        120_000,
      );
      const steps = await t.database.db
        .selectFrom('dsr_request_steps')
        .select(['step', 'system', 'status', 'result', 'error'])
        .where('request_id', '=', id)
        .orderBy('seq')
        .execute();
      for (const step of steps) assert.equal(step.status, 'succeeded', `${step.step}: ${step.error}`);
      const reports = Object.fromEntries(
        steps.filter((s) => s.system).map((s) => [s.system!, (s.result as { report: ErasureReport }).report]),
      );
      return { id, request, reports };
    }

    /** The state after the erasure equals the previous one with exactly these changes. */
    async function assertChanges(expected: { shop: ExpectedChanges; crm: ExpectedChanges }) {
      const now = await snapshots();
      assertOnlyExpectedChanges(state.shop, now.shop, expected.shop);
      assertOnlyExpectedChanges(state.crm, now.crm, expected.crm);
      state = now;
      return now;
    }

    const collection = (report: ErasureReport, name: string, about?: string) =>
      report.collections.find((c) => c.collection === name && c.about === about)!;

    test("access first: Ann's rows in both systems, dates as dates, the gift recipient's fields withheld from her orders, and the gift naming her shown with its recipient fields only", async () => {
      const submitted = await t.app.inject({
        method: 'POST',
        url: '/v1/requests',
        headers: agent,
        payload: {
          type: 'access',
          identities: { email: 'ann.MARTIN@example.com', phone: '+33621112117' },
          identityVerified: true,
        },
      });
      assert.equal(submitted.statusCode, 201, submitted.body);
      const { id } = submitted.json();
      const request = await waitUntil(
        `access ${id} is closed`,
        async () => {
          const row = await t.database.db
            .selectFrom('dsr_requests')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          return row.closed_at ? row : undefined;
        },
        120_000,
      );
      assert.equal(request.state, 'completed', request.outcome_reason ?? '');
      // The closing notice mails Ann a link of her own, and a package has one live link: the agent's
      // link is asked for once that notice has gone (its job then minimises the request).
      await waitUntil(
        `the closing notice of ${id} is sent`,
        async () =>
          (
            await t.database.db
              .selectFrom('dsr_requests')
              .select('personal_data_minimised_at')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).personal_data_minimised_at ?? undefined,
        60_000,
      );
      const link = await t.app.inject({
        method: 'POST',
        url: `/v1/requests/${id}/download-links`,
        headers: agent,
      });
      assert.equal(link.statusCode, 201, link.body);
      const url = new URL(link.json().url);
      const download = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
      assert.equal(download.statusCode, 200, download.body);
      const files = await unzipText(download.rawPayload);
      const document = files.get('personal-data.json')!;
      const data = JSON.parse(document).data;
      assert.deepEqual(
        data.shop.customers.map((c: Record<string, unknown>) => [Number(c.id), c.birth_date]),
        [[1, '1968-09-18']],
        'a DATE stays a date',
      );
      assert.match(files.get('csv/shop/customers.csv')!, /,1968-09-18,/);
      // Art. 15(4): her own orders without the gift recipient's (Bob's) fields …
      assert.deepEqual(
        data.shop.orders.map((o: Record<string, unknown>) => Object.keys(o).sort()),
        [
          ['customer_id', 'id', 'placed_at', 'shipping_address_id'],
          ['customer_id', 'id', 'placed_at', 'shipping_address_id'],
        ],
      );
      assert.ok(!document.includes('20 Bob Road') && !document.includes('Bob Stone'), 'nothing of Bob');
      // … and Bob's gift to her, with only what describes her.
      assert.deepEqual(data.shop['orders (as gift_recipient)'], [
        {
          gift_recipient_name: 'Ann Martin',
          gift_recipient_street: '1 Rue Ann',
          gift_recipient_email: 'ann.martin@example.com',
        },
      ]);
      assert.equal(
        data.crm.contacts.length,
        1,
        'her CRM contact, found by her e-mail and her national-format phone',
      );
      assert.deepEqual(Object.keys(data.crm.contacts[0]).sort(), [
        'email',
        'first_name',
        'id',
        'last_name',
        'phone',
      ]);
    });

    test('a request whose plan has errors is refused at submission, and `dsr plan` exits non-zero with the plan', async () => {
      const refused = await t.app.inject({
        method: 'POST',
        url: '/v1/requests',
        headers: agent,
        payload: {
          type: 'rectification',
          identities: { email: 'ann.martin@example.com' },
          identityVerified: true,
          corrections: [{ target: { identity: 'email' }, value: 'ann@new.example' }],
        },
      });
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(refused.json().code, 'dsr.plan_has_errors');
      assert.match(refused.json().detail, /newsletter\.email is a key that links rows/);
      const plan = await runSteward(
        [
          '--config',
          cliConfig(),
          'dsr',
          'plan',
          '--type',
          'rectification',
          '--email',
          'ann.martin@example.com',
          '--set',
          'identity:email=ann@new.example',
        ],
        { env: cliEnv() },
      );
      assert.equal(plan.code, 65, plan.stderr);
      assert.match(plan.stdout, /ERRORS \(the plan will not run\):\n\s+- newsletter\.email is a key/);
      assert.match(
        plan.stdout,
        /Keys, nullability and foreign keys: shop from the database catalog, crm from the database catalog/,
      );
      assert.match(plan.stderr, /The plan has 1 error/);
      await assertChanges({ shop: {}, crm: {} });
    });

    test('Carol: everything goes, in an order the keys accept, her page views (no key, found through a nullable reference) included; others only lose their link to her', async () => {
      const { request, reports } = await erase({ email: 'CAROL@example.com' });
      assert.equal(request.state, 'completed', request.outcome_reason ?? '');
      await assertChanges({
        shop: {
          customers: { deleted: ['3'], changed: { '4': { referred_by: null } } },
          addresses: { deleted: ['30'] },
          orders: { deleted: ['300'] },
          order_items: { deleted: ['300/1'] },
          returns: { deleted: ['3'] },
          payments: { deleted: ['3000'] },
          page_views: { deleted: ['["3","10.0.0.3","/mugs",null]'] },
          referrals: { deleted: ['3'], changed: { '2': { referee_id: null, referee_name: null } } },
          customer_prefs: { deleted: ['3'] },
          wishlists: { deleted: ['700'] },
          wishlist_items: { deleted: ['7000'] },
        },
        crm: {},
      });
      assert.deepEqual(findValues(state.shop, PERSONAL_VALUES.carol!), []);
      const report = reports.shop!;
      assert.deepEqual(report.verification?.survivors, []);
      assert.equal(collection(report, 'page_views').rowsDeleted, 1);
      assert.equal(collection(report, 'customer_prefs').rowsDeletedByCascade, 1);
      assert.deepEqual(collection(report, 'referrals', 'referee').fieldsMasked, {
        referee_id: 1,
        referee_name: 1,
      });
      assert.ok(
        report.collections.every((c) => c.rowsKept.length === 0),
        JSON.stringify(report.collections),
      );
    });

    test("Bob: his rows go or stay masked for a true reason; Ann's gift order and emergency contact lose only his name, street and phone (found by his number in another format)", async () => {
      const { request, reports } = await erase({
        email: 'bob.stone@EXAMPLE.com',
        phone: '+33 6 44 58 92 42',
      });
      assert.equal(request.state, 'completed', request.outcome_reason ?? '');
      await assertChanges({
        shop: {
          // Kept, masked: Ann's gift order 101 still ships to his address 20 (RESTRICT), which keeps him.
          customers: { changed: { '2': { email: HEX64, name: null, phone: null, birth_date: null } } },
          addresses: { changed: { '20': { street: HEX64, city: null } } },
          orders: {
            changed: {
              '101': { gift_recipient_name: null, gift_recipient_street: null, gift_recipient_email: null },
            },
          },
          order_items: { deleted: ['200/1', '201/1'] },
          returns: { deleted: ['2'] },
          support_tickets: { deleted: ['2'] },
          page_views: { deleted: ['["2","10.0.0.2","/pens","Safari"]'] },
          referrals: { deleted: ['2'], changed: { '1': { referee_id: null, referee_name: null } } },
          customer_prefs: { deleted: ['2'] },
          wishlists: { deleted: ['600'] },
          wishlist_items: { deleted: ['6000'] },
        },
        crm: {
          contacts: {
            deleted: ['2'],
            changed: { '1': { emergency_contact_name: null, emergency_contact_phone: null } },
          },
          newsletter: { deleted: ['bob.stone@example.com'] },
          notes: { deleted: ['2'] },
          call_log: { deleted: ['["2","2024-04-02T11:00:00.000Z","60"]'] },
          contact_prefs: { deleted: ['2'] },
        },
      });
      assert.deepEqual(findValues(state.shop, PERSONAL_VALUES.bob!), []);
      assert.deepEqual(findValues(state.crm, PERSONAL_VALUES.bob!), []);
      const shopReport = reports.shop!;
      assert.deepEqual(shopReport.verification?.survivors, []);
      assert.deepEqual(
        collection(shopReport, 'addresses').rowsKept.map((k) => [k.count, k.reason]),
        [
          [
            1,
            "referenced by orders rows that are not the subject's (orders.shipping_address_id → addresses.id, ON DELETE RESTRICT)",
          ],
        ],
      );
      assert.match(
        collection(shopReport, 'customers').rowsKept[0]!.reason,
        /^referenced by addresses rows of the subject that stay/,
      );
      // His 2024 orders stay because the payments under the tax hold need them: a derived legal ground.
      assert.deepEqual(
        collection(shopReport, 'orders').rowsKept.map((k) => [k.count, k.article]),
        [[2, 'Art. 17(3)(b)']],
      );
      assert.deepEqual(
        collection(shopReport, 'payments').rowsKept.map((k) => [k.count, k.until]),
        [[2, '2034-05-01']],
      );
      assert.deepEqual(collection(shopReport, 'orders', 'gift_recipient').fieldsMasked, {
        gift_recipient_name: 1,
        gift_recipient_street: 1,
        gift_recipient_email: 1,
      });
      assert.deepEqual(collection(reports.crm!, 'contacts', 'emergency_contact').fieldsMasked, {
        emergency_contact_name: 1,
        emergency_contact_phone: 1,
      });
      assert.deepEqual(reports.crm!.verification?.survivors, []);
    });

    test('Ann: found by e-mail in other case, phone in national form and user_id; held rows stay with their legal ground; rows still found by her user_id are listed and the request ends partially completed', async () => {
      const { request, reports } = await erase({
        email: 'ann.martin@example.com',
        phone: '+33621112117',
        user_id: '1',
      });
      await assertChanges({
        shop: {
          customers: { changed: { '1': { email: HEX64, name: null, phone: null, birth_date: null } } },
          addresses: { deleted: ['11'], changed: { '10': { street: HEX64, city: null } } },
          orders: {
            deleted: ['101'],
            changed: {
              '201': { gift_recipient_name: null, gift_recipient_street: null, gift_recipient_email: null },
            },
          },
          order_items: { deleted: ['100/1', '100/2', '101/1'] },
          returns: { deleted: ['1'] },
          payments: { deleted: ['1010'] },
          support_tickets: { deleted: ['1'] },
          // Her three views go (two of them identical); the anonymous visitor's identical twin stays.
          page_views: {
            deleted: [
              '["1","10.0.0.1","/cups","Firefox"]',
              '["1","10.0.0.1","/tea","Firefox"]',
              '["1","10.0.0.1","/tea","Firefox"]#2',
            ],
          },
          referrals: { deleted: ['1'] },
          customer_prefs: { deleted: ['1'] },
          wishlists: { deleted: ['500'] },
          wishlist_items: { deleted: ['5000', '5001'] },
        },
        crm: {
          contacts: {
            deleted: ['1'],
            changed: { '3': { emergency_contact_name: null, emergency_contact_phone: null } },
          },
          newsletter: { deleted: ['ann.martin@example.com'] },
          notes: { deleted: ['1'] },
          call_log: {
            deleted: ['["1","2024-03-02T10:00:00.000Z","120"]', '["1","2024-03-02T10:00:00.000Z","120"]#2'],
          },
          contact_prefs: { deleted: ['1'] },
        },
      });
      // The anonymous visitor's row shares her IP but is nobody's of hers.
      assert.deepEqual(
        findValues(state.shop, PERSONAL_VALUES.ann!, { page_views: ['[null,"10.0.0.1","/tea","Firefox"]'] }),
        [],
      );
      assert.deepEqual(findValues(state.crm, PERSONAL_VALUES.ann!), []);

      const shopReport = reports.shop!;
      assert.deepEqual(
        collection(shopReport, 'payments').rowsKept.map((k) => [k.count, k.article, k.until]),
        [[1, 'Art. 17(3)(b)', '2034-03-01']],
      );
      // Still found by user_id 1: her customer row and address 10, kept for Bob's order, no legal hold.
      const survivors = shopReport.verification!.survivors;
      assert.deepEqual(survivors.map((s) => [s.collection, s.count, s.keys]).sort(), [
        ['addresses', 1, [{ id: 10 }]],
        ['customers', 1, [{ id: 1 }]],
      ]);
      for (const survivor of survivors) assert.match(survivor.reason, /which is no legal hold/);
      assert.deepEqual(reports.crm!.verification?.survivors, []);
      assert.equal(request.state, 'partially_completed');
      assert.match(
        request.outcome_reason ?? '',
        /shop: 1 customers row still found by the subject's identities/,
      );
      assert.match(request.outcome_reason ?? '', /shop: 1 addresses row still found/);
    });

    test('Dan: a table the data map does not list keeps his customer row, and the plan and report say why', async () => {
      const { request, reports } = await erase({ email: 'dan@example.com' });
      assert.equal(request.state, 'completed', request.outcome_reason ?? '');
      await assertChanges({
        shop: { customers: { changed: { '4': { email: HEX64, name: null } } } },
        crm: {},
      });
      assert.deepEqual(
        collection(reports.shop!, 'customers').rowsKept.map((k) => k.reason),
        [
          `referenced by login_audit rows (a reference the data map does not declare, so whose rows they are is unknown) (login_audit.customer_id → customers.id, ON DELETE ${kinds.shop === 'mysql' ? 'RESTRICT' : 'NO ACTION'})`,
        ],
      );
      const plan = await t.database.db
        .selectFrom('dsr_request_steps')
        .select('result')
        .where('step', '=', 'plan')
        .where('request_id', '=', request.id)
        .executeTakeFirstOrThrow();
      assert.ok(
        (plan.result as { warnings: string[] }).warnings.some((w) =>
          w.startsWith('login_audit.customer_id → customers.id is a foreign key of login_audit'),
        ),
      );
    });

    test('`dsr status` shows the report: what went, what was kept and why, and what is still found', async () => {
      const ann = await t.database.db
        .selectFrom('dsr_requests')
        .select('id')
        .where('state', '=', 'partially_completed')
        .executeTakeFirstOrThrow();
      const status = await runSteward(['--config', cliConfig(), 'dsr', 'status', ann.id], { env: cliEnv() });
      assert.equal(status.code, 0, status.stderr);
      assert.match(
        status.stdout,
        /payments: 1 deleted\n\s+kept 1: Code de commerce L123-22: accounting records are kept 10 years \[Art\. 17\(3\)\(b\) until 2034-03-01\]/,
      );
      assert.match(status.stdout, /STILL FOUND after the erasure/);
      assert.match(
        status.stdout,
        /1 customers row still found by the subject's identities: kept, .* which is no legal hold — 1/,
      );
      assert.doesNotMatch(
        status.stdout,
        /ann\.martin|Ann Martin|1 Rue Ann/i,
        'no personal value in the report',
      );
    });

    test('after restoring the backup taken before, replay-erasures leaves both systems exactly as the erasures did, and prints what is still found', async () => {
      // Restore into fresh databases, as an operator recovering from a backup would.
      const restoredShop = await restore(kinds.shop, join(backupDir, 'shop.sql'));
      const restoredCrm = await restore(kinds.crm, join(backupDir, 'crm.sql'));
      try {
        const replay = await runSteward(
          ['--config', cliConfig(), 'dsr', 'replay-erasures', '--since', '2020-01-01'],
          {
            env: cliEnv({ shop: restoredShop.url, crm: restoredCrm.url }),
            timeoutMs: 120_000,
          },
        );
        // Ann's rows still found by her user_id make the replay incomplete, as the erasure was.
        assert.equal(replay.code, 75, `${replay.stdout}\n${replay.stderr}`);
        assert.match(replay.stdout, /4 erasure\(s\) recorded since that date/);
        assert.match(replay.stdout, /1 customers row still found by the subject's identities/);
        assert.match(replay.stdout, /NOT COMPLETE: 2 row\(s\) of erased subjects are still found/);
        assert.deepEqual(await snapshotOf(restoredShop.source, SHOP_TABLES, KEYS), state.shop);
        assert.deepEqual(await snapshotOf(restoredCrm.source, CRM_TABLES, KEYS), state.crm);
      } finally {
        await restoredShop.drop();
        await restoredCrm.drop();
      }
    });
  });

/** A plain SQL backup of a source database, as pg_dump or mariadb-dump writes it. */
async function dump(source: TestSourceSystem): Promise<string> {
  const options = { maxBuffer: 64 << 20 };
  if (source.kind === 'postgres') return (await run('pg_dump', ['--no-owner', source.url!], options)).stdout;
  const url = new URL(source.url!);
  const args = [
    '-h',
    url.hostname,
    '-P',
    url.port || '3306',
    '-u',
    decodeURIComponent(url.username),
    url.pathname.slice(1),
  ];
  return (await run('mariadb-dump', args, options)).stdout;
}

/** A fresh database with a backup loaded, and plain-SQL access to it for snapshots. */
async function restore(
  kind: SourceKind,
  file: string,
): Promise<{ url: string; source: TestSourceSystem; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const created = await createPostgresDatabase('steward_restored');
    await run('psql', ['--quiet', '--set', 'ON_ERROR_STOP=1', '--file', file, created.url]);
    return {
      url: created.url,
      source: { query: sqlOf(created.url) } as unknown as TestSourceSystem,
      drop: created.drop,
    };
  }
  const name = `steward_restored_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const root = await mysql.createConnection({ uri: MARIADB_ADMIN_URL, multipleStatements: true });
  await root.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await root.query(`USE ${name}`);
  await root.query(await readFile(file, 'utf8'));
  return {
    url: `${MARIADB_ADMIN_URL}/${name}`,
    source: { query: mysqlOf(root, name) } as unknown as TestSourceSystem,
    async drop() {
      await root.query(`DROP DATABASE IF EXISTS ${name}`);
      await root.end();
    },
  };
}

function sqlOf(url: string) {
  return async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
}

function mysqlOf(root: mysql.Connection, database: string) {
  return async (sql: string) => (await root.query(sql.replace(/FROM (\w+)/, `FROM ${database}.$1`)))[0];
}
