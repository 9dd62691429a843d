import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSourceSystem, type TestSourceSystem } from '../../../test/support/test-source-systems.ts';
import { SHOP_DATA_SQL, shopDataMapYaml, shopSchemaSql } from './use-cases/execution/test-shop-fixture.ts';
import { deleteExpiredPackages } from './use-cases/packages/delete-expired-packages.ts';
import { startDsrTestApp, type DsrTestApp } from '../../../test/support/start-dsr-test-app.ts';
import { waitUntil } from '../../../test/support/wait-until.ts';
import { unzipText } from '../../../test/support/unzip-text.ts';

process.env.TEST_SHOP_HMAC_KEY = 'test-shop-hmac-key-0123456789abcdef';

describe(`a request end to end on a real PostgreSQL shop, with a worker`, () => {
  let shop: TestSourceSystem;
  let dataMapDir: string;
  let t: DsrTestApp;
  let agent: Record<string, string>;

  before(async () => {
    shop = await createSourceSystem('postgres', 'shop');
    await shop.exec(shopSchemaSql('postgres'));
    await shop.exec(SHOP_DATA_SQL);
    process.env.TEST_SHOP_URL = shop.url;
    dataMapDir = await mkdtemp(join(tmpdir(), 'steward-datamap-'));
    await writeFile(join(dataMapDir, 'shop.yaml'), shopDataMapYaml('postgres', '{ url: env:TEST_SHOP_URL }'));
    t = await startDsrTestApp({
      work: true,
      dsr: { approvalRequired: [] },
      config: { datamap: { path: dataMapDir } },
    });
    agent = await t.headers('request_agent');
  });
  after(async () => {
    await t.close();
    await shop.close();
    await rm(dataMapDir, { recursive: true, force: true });
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
      60_000,
    );

  test('access: a zip with one JSON and one CSV per collection, the Art. 15 context, nothing of another person, behind an expiring link', async () => {
    const mailsBefore = t.smtp.messages.length;
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: agent,
      payload: { type: 'access', identities: { email: 'ANN@example.com' }, identityVerified: true },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const { id } = submitted.json();
    const request = await closed(id);
    assert.equal(request.state, 'completed', request.outcome_reason ?? '');

    const steps = await t.database.db
      .selectFrom('dsr_request_steps')
      .select(['step', 'status', 'attempts'])
      .where('request_id', '=', id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      steps.map((s) => `${s.step}:${s.status}`),
      ['plan:succeeded', 'access:shop:succeeded', 'package:succeeded', 'complete:succeeded'],
    );

    const mail = await t.smtp.waitForMail('ann@example.com', {
      afterCount: mailsBefore,
      subject: /completed/,
    });
    const link = /https:\/\/privacy\.shop\.example(\/v1\/requests\/\S+\/download\?token=\S+)/.exec(mail.text);
    assert.ok(link, mail.text);
    const download = await t.app.inject({ method: 'GET', url: link[1]! });
    assert.equal(download.statusCode, 200, download.body);
    assert.equal(download.headers['content-type'], 'application/zip');

    const files = await unzipText(download.rawPayload);
    const document = JSON.parse(files.get('personal-data.json')!);
    const collections = Object.keys(document.data.shop).sort();
    for (const expected of ['addresses', 'customers', 'orders', 'payments', 'preferences'])
      assert.ok(collections.includes(expected), `${expected} in ${collections.join(', ')}`);
    assert.deepEqual(
      [...files.keys()].sort(),
      ['README.txt', ...collections.map((c) => `csv/shop/${c}.csv`), 'personal-data.json'].sort(),
    );
    assert.equal(document.request.id, id);
    const customers = document.data.shop.customers as { id: number; email: string }[];
    assert.deepEqual(
      customers.map((c) => c.id).sort(),
      [1, 2],
      "both of Ann's accounts, emails differing only in case",
    );
    assert.ok(!files.get('personal-data.json')!.includes('bob@example.com'), 'nothing of Bob');
    assert.ok(
      !files.get('personal-data.json')!.includes('3 Bob Lane'),
      "Bob's address from Ann's gift order stays out",
    );
    const customersCsv = files.get('csv/shop/customers.csv')!.trim().split('\n');
    assert.equal(customersCsv.length, 1 + customers.length);
    assert.match(customersCsv[0]!, /email/);
    const preferences = files.get('csv/shop/preferences.csv')!;
    assert.match(preferences, /newsletter/, 'a JSON column becomes JSON text in the CSV');

    const context = document.context;
    assert.ok(
      context.purposes.some(
        (p: { use: string; legalBasis: string }) =>
          p.use === 'essential.service' && p.legalBasis === 'contract',
      ),
    );
    assert.ok(context.categories.includes('user.contact.email'));
    assert.ok(
      context.legalHolds.some(
        (h: { collection: string; article: string }) =>
          h.collection === 'payments' && /17\(3\)\(b\)/.test(h.article),
      ),
    );
    assert.ok(typeof context.source === 'string');

    await waitUntil(
      'personal data is minimised after the closing notice',
      async () =>
        (
          await t.database.db
            .selectFrom('dsr_requests')
            .select('personal_data_minimised_at')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).personal_data_minimised_at ?? undefined,
    );
    const detail = (await t.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: agent })).json();
    assert.equal(
      detail.package.rows,
      Object.values(document.data.shop as Record<string, unknown[]>).reduce((n, rows) => n + rows.length, 0),
    );
    assert.deepEqual(detail.identities, [{ name: 'email', value: null }], 'identities minimised once closed');

    const wrongToken = await t.app.inject({
      method: 'GET',
      url: `/v1/requests/${id}/download?token=default.${'A'.repeat(43)}`,
    });
    assert.equal(wrongToken.statusCode, 404);
    await t.database.db
      .updateTable('dsr_download_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('request_id', '=', id)
      .execute();
    const expired = await t.app.inject({ method: 'GET', url: link[1]! });
    assert.equal(expired.statusCode, 403);
    assert.equal(expired.json().code, 'dsr.download_expired');

    // An officer asks for a fresh link; 30 days after it was built the package is deleted anyway.
    const fresh = await t.app.inject({
      method: 'POST',
      url: `/v1/requests/${id}/download-links`,
      headers: agent,
    });
    assert.equal(fresh.statusCode, 201, fresh.body);
    const freshPath = new URL(fresh.json().url).pathname + new URL(fresh.json().url).search;
    assert.equal((await t.app.inject({ method: 'GET', url: freshPath })).statusCode, 200);
    const { file } = await t.database.db
      .selectFrom('dsr_packages')
      .select('file')
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(existsSync(join(t.dataDir, file)));
    assert.ok(
      !readFileSync(join(t.dataDir, file)).includes(Buffer.from('Ann')),
      'the package is encrypted at rest',
    );
    assert.equal((await deleteExpiredPackages(t.services)).packagesDeleted, 0, 'not before its time');
    const deleted = await deleteExpiredPackages(t.services, new Date(Date.now() + 31 * 24 * 3600 * 1000));
    assert.equal(deleted.packagesDeleted, 1);
    assert.ok(!existsSync(join(t.dataDir, file)), 'the file is gone');
    const gone = await t.app.inject({ method: 'GET', url: freshPath });
    assert.equal(gone.statusCode, 403);
    const afterDeletion = (
      await t.app.inject({ method: 'GET', url: `/v1/requests/${id}`, headers: agent })
    ).json();
    assert.ok(afterDeletion.package.deletedAt);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/v1/requests/${id}/download-links`, headers: agent }))
        .statusCode,
      404,
    );
  });

  test('erasure: the subject is erased, the payment under a tax hold is kept and the report says why; the other person is untouched', async () => {
    const bobBefore = await shop.query('SELECT id, email, name FROM customers WHERE id = 3');
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: agent,
      payload: { type: 'erasure', identities: { email: 'ann@example.com' }, identityVerified: true },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const request = await closed(submitted.json().id);
    assert.equal(request.state, 'completed', request.outcome_reason ?? '');

    const report = (
      request.result as Record<
        string,
        {
          status: string;
          report: {
            collections: {
              collection: string;
              rowsDeleted: number;
              rowsKept: { reason: string; article?: string }[];
            }[];
          };
        }
      >
    )['erase:shop']!;
    assert.equal(report.status, 'succeeded');
    const payments = report.report.collections.find((c) => c.collection === 'payments')!;
    assert.ok(
      payments.rowsKept.some((kept) => kept.article && /17\(3\)\(b\)/.test(kept.article)),
      JSON.stringify(payments),
    );
    const api = (
      await t.app.inject({ method: 'GET', url: `/v1/requests/${request.id}`, headers: agent })
    ).json();
    assert.deepEqual(api.result, request.result, 'the erasure report is returned by the API');

    const annLeft = await shop.query("SELECT id FROM customers WHERE lower(email) = 'ann@example.com'");
    assert.deepEqual(annLeft, []);
    assert.deepEqual(await shop.query('SELECT id, email, name FROM customers WHERE id = 3'), bobBefore);
    assert.deepEqual(
      await shop.query('SELECT id FROM payments WHERE id = 1000'),
      [{ id: 1000 }],
      'kept under the 10-year hold',
    );

    const journal = await t.database.db
      .selectFrom('dsr_erasure_journal')
      .selectAll()
      .where('request_id', '=', request.id)
      .execute();
    assert.equal(
      journal.length,
      1,
      'the erasure is in the erased-subject journal, for replay after a restore',
    );
    assert.ok(!JSON.stringify(journal[0]).includes('ann@example.com'), 'with hashed identities only');
  });

  test('rectification: the corrected value is written everywhere the data map says the name lives, for this person only', async () => {
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: agent,
      payload: {
        type: 'correct',
        identities: { email: 'bob@example.com' },
        identityVerified: true,
        corrections: [{ target: { category: 'user.name' }, value: 'Robert' }],
      },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const request = await closed(submitted.json().id);
    assert.equal(request.state, 'completed', request.outcome_reason ?? '');
    assert.equal(request.regime, 'ccpa');
    assert.deepEqual(await shop.query('SELECT name FROM customers WHERE id = 3'), [{ name: 'Robert' }]);
    const report = (
      request.result as Record<
        string,
        { report: { collections: { collection: string; rowsUpdated: number }[] } }
      >
    )['rectify:shop']!.report;
    assert.deepEqual(
      report.collections.find((c) => c.collection === 'customers'),
      { collection: 'customers', rowsUpdated: 1, fields: ['name'] },
    );
    const stored = await waitUntil('personal data is minimised', async () => {
      const row = await t.database.db
        .selectFrom('dsr_requests')
        .select(['corrections_ciphertext', 'personal_data_minimised_at'])
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      return row.personal_data_minimised_at ? row : undefined;
    });
    assert.equal(stored.corrections_ciphertext, null, 'the new values are not kept after closing');
  });

  test('objection (CCPA opt-out): every downstream receiver is told through one event carrying the identities, and the consent ledger records the opt-out', async () => {
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: agent,
      payload: { type: 'opt_out', identities: { email: 'bob@example.com' }, identityVerified: true },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const request = await closed(submitted.json().id);
    assert.equal(request.state, 'completed', request.outcome_reason ?? '');
    const steps = await t.database.db
      .selectFrom('dsr_request_steps')
      .select('step')
      .where('request_id', '=', request.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      steps.map((s) => s.step),
      ['plan', 'publish', 'complete'],
    );
    const events = await t.database.db
      .selectFrom('event_outbox')
      .select(['type', 'data'])
      .where('type', '=', 'dsr.objection.requested')
      .execute();
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.data.identities, { email: ['bob@example.com'] });
    assert.equal(events[0]!.data.regimeType, 'opt_out');
    const consent = await t.database.db
      .selectFrom('consent_state')
      .select(['subject', 'purpose', 'status'])
      .where('purpose', '=', 'ccpa.sale_sharing')
      .execute();
    assert.deepEqual(
      consent,
      [{ subject: 'bob@example.com', purpose: 'ccpa.sale_sharing', status: 'withdrawn' }],
      'the opt-out is in the consent ledger',
    );
  });
});
