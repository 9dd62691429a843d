import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDsrTestApp, type DsrTestApp } from '../../../../test/support/start-dsr-test-app.ts';
import { recordConsentChanges } from './record-consent.ts';
import { openWithdrawalErasure } from './withdrawal-erasure.ts';
import { waitUntil } from '../../../../test/support/wait-until.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';

/**
 * A CRM whose accounts are kept under the contract, with one column and one table used only for
 * the newsletter, on consent: what the data map says decides what a withdrawal erases.
 */
const crmDataMap = `
systems:
  - id: crm
    kind: postgres
    connection: { url: env:TEST_CRM_URL }
    collections:
      - name: accounts
        primaryKey: [id]
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, categories: [user.unique_id] }
          - { name: email, type: text, identity: email, categories: [user.contact.email], erasure: random }
          - { name: name, type: text, categories: [user.name], erasure: { strategy: fixed_value, value: erased } }
          - name: newsletter_opt_in
            type: boolean
            categories: [user.privacy_preferences]
            purposes: [{ use: marketing.communications.email, legalBasis: consent }]
            erasure: { strategy: fixed_value, value: false }
      - name: newsletter_profiles
        primaryKey: [account_id]
        purposes: [{ use: marketing.communications.email, legalBasis: consent }]
        fields:
          - name: account_id
            type: integer
            categories: [user.unique_id]
            references: [{ field: accounts.id, direction: from, onDelete: cascade }]
          - { name: interests, type: text, categories: [user.behavior], erasure: 'null' }
          - { name: last_opened_at, type: timestamptz, categories: [user.behavior], erasure: 'null' }
`;

let crm: TestSourceSystem;
let dataMapDir: string;
let t: DsrTestApp;
let owner: Record<string, string>;
before(async () => {
  crm = await createSourceSystem('postgres', 'crm');
  await crm.exec(`
    create table accounts (id integer primary key, email text not null, name text not null, newsletter_opt_in boolean not null);
    create table newsletter_profiles (account_id integer primary key references accounts (id) on delete cascade, interests text, last_opened_at timestamptz);
    insert into accounts values (1, 'Rita@Example.com', 'Rita Ray', true), (2, 'sam@example.com', 'Sam Stone', true);
    insert into newsletter_profiles values (1, 'shoes, bags', '2026-11-01T10:00:00Z'), (2, 'books', '2026-11-02T10:00:00Z');`);
  process.env.TEST_CRM_URL = crm.url;
  dataMapDir = await mkdtemp(join(tmpdir(), 'steward-datamap-'));
  await writeFile(join(dataMapDir, 'crm.yaml'), crmDataMap);
  // A worker runs jobs; erasures go ahead without approval so the test sees the end.
  t = await startDsrTestApp({
    work: true,
    dsr: { approvalRequired: [] },
    config: { datamap: { path: dataMapDir } },
  });
  owner = await t.headers('owner');
  const notice = {
    key: 'newsletter',
    purpose: 'marketing.communications.email',
    title: 'Newsletter',
    text: 'Weekly offers.',
    legalBasis: 'consent',
    mechanism: 'opt_in',
  };
  assert.equal(
    (await t.app.inject({ method: 'POST', url: '/v1/consent/notices', headers: owner, payload: notice }))
      .statusCode,
    201,
  );
});
after(async () => {
  await t?.close();
  await crm?.close();
  if (dataMapDir) await rm(dataMapDir, { recursive: true, force: true });
});

const record = async (subject: string, action: 'given' | 'withdrawn') => {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/consent/records',
    headers: owner,
    payload: { subject, changes: [{ purpose: 'marketing.communications.email', action }] },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().entries[0] as { id: string; consentOnlyData?: unknown[] };
};
const rows = (sql: string) => crm.query(sql);

test(`withdrawing a consent erases the data processed only under it, and nothing else`, async () => {
  await record('rita@example.com', 'given');
  await record('sam@example.com', 'given');
  const withdrawal = await record('rita@example.com', 'withdrawn');
  assert.deepEqual(withdrawal.consentOnlyData, [
    { system: 'crm', collection: 'accounts', field: 'newsletter_opt_in' },
    { system: 'crm', collection: 'newsletter_profiles', field: 'account_id' },
    { system: 'crm', collection: 'newsletter_profiles', field: 'interests' },
    { system: 'crm', collection: 'newsletter_profiles', field: 'last_opened_at' },
  ]);

  const opened = await waitUntil('the withdrawal opened its erasure request', async () =>
    t.database.db
      .selectFrom('consent_withdrawal_erasures')
      .selectAll()
      .where('ledger_id', '=', withdrawal.id)
      .executeTakeFirst(),
  );
  assert.ok(opened.request_id, opened.reason ?? '');
  const request = await waitUntil(
    'the erasure request is closed',
    async () => {
      const row = await t.database.db
        .selectFrom('dsr_requests')
        .selectAll()
        .where('id', '=', opened.request_id!)
        .executeTakeFirstOrThrow();
      return row.closed_at ? row : undefined;
    },
    60_000,
  );
  assert.deepEqual(
    [request.type, request.state, request.source],
    ['erasure', 'completed', 'agent'],
    request.outcome_reason ?? '',
  );
  assert.deepEqual(request.scope, { systems: ['crm'], fields: withdrawal.consentOnlyData });

  assert.deepEqual(
    await rows('select id, email, name, newsletter_opt_in from accounts order by id'),
    [
      { id: 1, email: 'Rita@Example.com', name: 'Rita Ray', newsletter_opt_in: false },
      { id: 2, email: 'sam@example.com', name: 'Sam Stone', newsletter_opt_in: true },
    ],
    "Rita's account stays as it was but for the newsletter flag; Sam's is untouched",
  );
  assert.deepEqual(
    await rows(
      'select account_id, interests, last_opened_at is null as unopened from newsletter_profiles order by account_id',
    ),
    [
      { account_id: 1, interests: null, unopened: true },
      { account_id: 2, interests: 'books', unopened: false },
    ],
    "Rita's newsletter profile is emptied, not deleted; Sam's is untouched",
  );
});

test(`an imported withdrawal asks for no erasure (it records the past), and one undone since opens none`, async () => {
  await record('sam@example.com', 'given');
  const [imported] = await recordConsentChanges(
    t.services,
    { kind: 'system', id: 'test', tenantId: 'default' },
    [
      {
        subject: 'sam@example.com',
        purpose: 'marketing.communications.email',
        action: 'withdrawn',
        source: 'import',
        occurredAt: new Date('2026-01-01T00:00:00Z'),
      },
    ],
  );
  const jobs = await t.database.db
    .selectFrom('consent_withdrawal_erasures')
    .select('ledger_id')
    .where('ledger_id', '=', imported!.id)
    .execute();
  assert.deepEqual(jobs, [], 'nothing was asked for the import');
  // Sam's later consent stands, so even asked explicitly there is nothing to erase.
  assert.deepEqual(await openWithdrawalErasure(t.services, { tenantId: 'default', ledgerId: imported!.id }), {
    notOpened: 'the subject has consented again since',
  });
  assert.deepEqual(await rows('select newsletter_opt_in from accounts where id = 2'), [
    { newsletter_opt_in: true },
  ]);
});

test(`only an erasure can be limited to fields, and only to fields the data map has`, async () => {
  const submit = (type: string, field: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: owner,
      payload: {
        type,
        identities: { email: 'tom@example.com' },
        identityVerified: true,
        scope: { fields: [{ system: 'crm', collection: 'accounts', field }] },
      },
    });
  assert.equal((await submit('access', 'newsletter_opt_in')).json().code, 'dsr.scope_fields_erasure_only');
  const unknown = await submit('erasure', 'shoe_size');
  assert.equal(unknown.statusCode, 400);
  assert.deepEqual(unknown.json().details, { unknownFields: ['crm.accounts.shoe_size'] });
});
