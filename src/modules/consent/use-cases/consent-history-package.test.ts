import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../../test/support/start-dsr-test-app.ts';
import { waitUntil } from '../../../../test/support/wait-until.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { unzipText } from '../../../../test/support/unzip-text.ts';

/** A newsletter tool holding subscribers by email: the one system of this data map. */
const newsletterDataMap = `
systems:
  - id: newsletter
    kind: postgres
    connection: { url: env:TEST_NEWSLETTER_URL }
    collections:
      - name: subscribers
        primaryKey: [email]
        fields:
          - { name: email, type: text, identity: email, categories: [user.contact.email] }
          - { name: topics, type: text, categories: [user.privacy_preferences] }
`;

let source: TestSourceSystem;
let dataMapDir: string;
let t: DsrTestApp;
let owner: Record<string, string>;
before(async () => {
  source = await createSourceSystem('postgres', 'newsletter');
  await source.exec(
    `create table subscribers (email text primary key, topics text); insert into subscribers values ('nora@example.com', 'offers'), ('olaf@example.com', 'news')`,
  );
  process.env.TEST_NEWSLETTER_URL = source.url;
  dataMapDir = await mkdtemp(join(tmpdir(), 'steward-datamap-'));
  await writeFile(join(dataMapDir, 'newsletter.yaml'), newsletterDataMap);
  t = await startDsrTestApp({
    work: true,
    dsr: { approvalRequired: [] },
    config: { datamap: { path: dataMapDir } },
  });
  owner = await t.headers('owner');
});
after(async () => {
  await t.close();
  await source.close();
  await rm(dataMapDir, { recursive: true, force: true });
});

const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const response = await t.app.inject({ method, url, headers: owner, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: response.json(), raw: response.rawPayload };
};

test(`the access package holds the subject's consent history, in personal-data.json and as consent-history.json`, async () => {
  await call('POST', '/v1/consent/notices', {
    key: 'newsletter',
    purpose: 'marketing.communications.email',
    title: 'Newsletter',
    text: 'Weekly offers.',
    legalBasis: 'consent',
    mechanism: 'opt_in',
  });
  await call('POST', '/v1/consent/records', {
    subject: 'nora@example.com',
    changes: [{ purpose: 'marketing.communications.email', action: 'given' }],
  });
  await call('POST', '/v1/consent/records', {
    subject: 'nora@example.com',
    changes: [{ purpose: 'marketing.communications.email', action: 'withdrawn' }],
  });
  await call('POST', '/v1/consent/records', {
    subject: 'olaf@example.com',
    changes: [{ purpose: 'marketing.communications.email', action: 'given' }],
  });

  const submitted = await call('POST', '/v1/requests', {
    type: 'access',
    identities: { email: 'Nora@Example.com' },
    identityVerified: true,
  });
  assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
  const request = await waitUntil(
    'the access request is closed',
    async () => {
      const row = await t.database.db
        .selectFrom('dsr_requests')
        .selectAll()
        .where('id', '=', submitted.body.id)
        .executeTakeFirstOrThrow();
      return row.closed_at ? row : undefined;
    },
    60_000,
  );
  assert.equal(request.state, 'completed', request.outcome_reason ?? '');
  const link = await call('POST', `/v1/requests/${request.id}/download-links`);
  assert.equal(link.status, 201);
  const url = new URL(link.body.url);
  const download = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
  const files = await unzipText(download.rawPayload);

  const history = JSON.parse(files.get('consent-history.json')!);
  assert.deepEqual(
    history.map((h: { subject: string }) => h.subject),
    ['nora@example.com'],
  );
  assert.deepEqual(
    history[0].entries.map((e: { action: string; noticeTitle: string }) => [e.action, e.noticeTitle]),
    [
      ['given', 'Newsletter'],
      ['withdrawn', 'Newsletter'],
    ],
  );
  assert.deepEqual(
    history[0].current.map((c: { status: string }) => c.status),
    ['withdrawn'],
  );
  const document = JSON.parse(files.get('personal-data.json')!);
  assert.deepEqual(document.consentHistory, history, 'the same history in the one machine-readable file');
  assert.deepEqual(document.data.newsletter.subscribers, [{ email: 'nora@example.com', topics: 'offers' }]);
  assert.ok(![...files.values()].some((text) => text.includes('olaf')), "nothing of Olaf's");
  assert.match(files.get('README.txt')!, /consent-history\.json/);
});
