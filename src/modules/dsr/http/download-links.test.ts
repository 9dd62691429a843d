import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { startDsrTestApp, type DsrTestApp } from '../../../../test/support/start-dsr-test-app.ts';
import { waitUntil } from '../../../../test/support/wait-until.ts';

const DATA_MAP = `
tenant: default
systems:
  - id: crm
    kind: postgres
    role: controller
    connection: { url: env:DOWNLOAD_LINKS_CRM_URL }
    collections:
      - name: members
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false }
          - { name: email, type: text, nullable: false, identity: email, categories: [user.contact.email] }
`;

describe('download links of an access package (issue 12, item 8)', () => {
  let crm: TestSourceSystem;
  let dataMapDir: string;
  let t: DsrTestApp;
  let requestId: string;

  before(async () => {
    crm = await createSourceSystem('postgres', 'crm');
    await crm.exec(`CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
      INSERT INTO members VALUES (1, 'ann@example.com');`);
    process.env.DOWNLOAD_LINKS_CRM_URL = crm.url;
    dataMapDir = await mkdtemp(join(tmpdir(), 'steward-download-links-'));
    await writeFile(join(dataMapDir, 'crm.yaml'), DATA_MAP);
    t = await startDsrTestApp({
      work: true,
      dsr: { packages: { maxDownloads: 2 } },
      config: { datamap: { path: dataMapDir } },
    });
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: await t.headers('request_agent'),
      payload: { type: 'access', identities: { email: 'ann@example.com' }, identityVerified: true },
    });
    assert.equal(submitted.statusCode, 201, submitted.body);
    requestId = submitted.json().id;
    // The closing notice issues a link of its own; the test's links come after it.
    await waitUntil(
      'the request is closed and its notice sent',
      async () => {
        const row = await t.database.db
          .selectFrom('dsr_requests')
          .select('personal_data_minimised_at')
          .where('id', '=', requestId)
          .executeTakeFirstOrThrow();
        return row.personal_data_minimised_at ?? undefined;
      },
      60_000,
    );
  });
  after(async () => {
    await t.close();
    await crm.close();
    await rm(dataMapDir, { recursive: true, force: true });
  });

  const newLink = async () => {
    const issued = await t.app.inject({
      method: 'POST',
      url: `/v1/requests/${requestId}/download-links`,
      headers: await t.headers('request_agent'),
    });
    assert.equal(issued.statusCode, 201, issued.body);
    return new URL(issued.json().url).pathname + new URL(issued.json().url).search;
  };
  const download = (path: string) => t.app.inject({ method: 'GET', url: path });
  /** The audit events of an action, whether the integrator has appended them to the log yet or not. */
  const auditedDownloads = async (action: string) => {
    const pending = await t.database.db
      .selectFrom('audit_pending')
      .select(['id as order', 'body as entry'])
      .where('action', '=', action)
      .execute();
    const appended = await t.database.db
      .selectFrom('audit_entries')
      .select(['idx as order', 'entry'])
      .where('action', '=', action)
      .execute();
    // Appended entries come before any still pending.
    return [
      ...appended.sort((a, b) => Number(a.order) - Number(b.order)),
      ...pending.sort((a, b) => Number(a.order) - Number(b.order)),
    ].map((r) => JSON.parse(r.entry));
  };

  test('a new link ends the one before it, a link allows the configured number of downloads, and each download and refusal is audited', async () => {
    const first = await newLink();
    const second = await newLink();

    const replaced = await download(first);
    assert.equal(replaced.statusCode, 403, replaced.body);
    assert.equal(replaced.json().code, 'dsr.download_replaced');

    for (let n = 1; n <= 2; n++) {
      const ok = await download(second);
      assert.equal(ok.statusCode, 200, `download ${n}: ${ok.body.slice(0, 200)}`);
      assert.equal(ok.headers['content-type'], 'application/zip');
    }
    const usedUp = await download(second);
    assert.equal(usedUp.statusCode, 403, usedUp.body);
    assert.equal(usedUp.json().code, 'dsr.download_limit');

    const downloads = await auditedDownloads('dsr.package.downloaded');
    assert.deepEqual(
      downloads.map((d) => d.details.download),
      [1, 2],
    );
    const refused = await auditedDownloads('dsr.package.download_refused');
    assert.deepEqual(
      refused.map((r) => [r.outcome, r.reason]),
      [
        ['denied', 'dsr.download_replaced'],
        ['denied', 'dsr.download_limit'],
      ],
    );

    const third = await newLink();
    assert.equal((await download(third)).statusCode, 200, 'a new link starts a new count');
  });

  test('downloads racing for the last one get it once', async () => {
    const link = await newLink();
    assert.equal((await download(link)).statusCode, 200);
    const raced = await Promise.all([download(link), download(link), download(link)]);
    assert.deepEqual(raced.map((r) => r.statusCode).sort(), [200, 403, 403]);
  });
});
