import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createSourceSystem, type TestSourceSystem } from '../support/test-source-systems.ts';
import { startDsrTestApp, type DsrTestApp } from '../support/start-dsr-test-app.ts';
import { waitUntil } from '../support/wait-until.ts';
import { auditConfigFor, loadPseudonymKey } from '../../src/platform/audit/audit-keys.ts';
import { integratePendingEntries } from '../../src/platform/audit/integrate-pending-entries.ts';

/**
 * Issue 12, item 3: a data subject's identity values live only in the encrypted identity store.
 * Every identity type (the three built-in ones and custom ones on text and integer columns) is sent
 * with a distinctive value through an access request, an erasure and a refused request; then every
 * column of every table of Steward's database (jobs included) and every log line is searched for
 * each value in every form it could be written in.
 */

const TENANT_IDENTITIES = {
  email: 'Janet.Qzleakmail@Leak-Probe.example',
  phone: '+44 7700 900461',
  user_id: 'usr-qzleakuser-5d8e',
  customer_id: 'CUST-QZLEAKCUST-0931',
  loyalty_no: '770094301',
};

/** What must be found nowhere: each value as sent, normalised, and its distinctive core. */
const NEEDLES = [
  'qzleakmail',
  'leak-probe.example',
  '7700900461',
  '7700 900461',
  'qzleakuser',
  'qzleakcust',
  '770094301',
  'Janet Leakname',
];

const DATA_MAP = `
tenant: default
identities:
  customer_id: { match: exact, description: Customer number on invoices }
  loyalty_no: { match: exact, description: Loyalty card number }
  device_ip: { match: exact, description: Address of a device the member used }
systems:
  - id: crm
    kind: postgres
    role: controller
    connection: { url: env:LEAK_PROBE_CRM_URL }
    collections:
      - name: members
        primaryKey: [id]
        erasure: delete_row
        purposes: [{ use: essential.service, legalBasis: contract }]
        fields:
          - { name: id, type: integer, nullable: false, categories: [user.unique_id] }
          - { name: email, type: text, nullable: false, identity: email, categories: [user.contact.email] }
          - { name: phone, type: text, identity: phone, categories: [user.contact.phone_number] }
          - { name: account, type: text, identity: user_id, categories: [user.unique_id] }
          - { name: customer_ref, type: text, identity: customer_id, categories: [user.unique_id] }
          - { name: loyalty_no, type: integer, identity: loyalty_no, categories: [user.unique_id] }
          - { name: name, type: text, categories: [user.name] }
          - { name: last_ip, type: inet, identity: device_ip, categories: [user.device.ip_address] }
`;

describe('no identity value outside the encrypted identity store', () => {
  let crm: TestSourceSystem;
  let dataMapDir: string;
  let t: DsrTestApp;

  before(async () => {
    crm = await createSourceSystem('postgres', 'crm');
    await crm.exec(`
      CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, account TEXT, customer_ref TEXT, loyalty_no INTEGER, name TEXT, last_ip INET);
      INSERT INTO members VALUES
        (1, 'janet.qzleakmail@leak-probe.example', '+447700900461', 'usr-qzleakuser-5d8e', 'CUST-QZLEAKCUST-0931', 770094301, 'Janet', '198.51.100.23'),
        (2, 'someone@else.example', '+441234567890', 'usr-other', 'CUST-OTHER', 1234, 'Other', NULL);
    `);
    process.env.LEAK_PROBE_CRM_URL = crm.url;
    dataMapDir = await mkdtemp(join(tmpdir(), 'steward-leak-probe-'));
    await writeFile(join(dataMapDir, 'crm.yaml'), DATA_MAP);
    t = await startDsrTestApp({
      work: true,
      dsr: { execution: { maxStepAttempts: 1 } },
      config: { datamap: { path: dataMapDir } },
    });
  });
  after(async () => {
    await t.close();
    await crm.close();
    await rm(dataMapDir, { recursive: true, force: true });
  });

  const closed = (id: string) =>
    waitUntil(
      `request ${id} is closed and minimised`,
      async () => {
        const row = await t.database.db
          .selectFrom('dsr_requests')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return row.closed_at && row.personal_data_minimised_at ? row : undefined;
      },
      60_000,
    );

  test('an access request, an erasure and a refused request leave no identity value in any table or log line', async () => {
    const submitter = await t.headers('request_agent');
    const approver = await t.headers('privacy_officer');

    const access = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: submitter,
      payload: { type: 'access', identities: TENANT_IDENTITIES, identityVerified: true },
    });
    assert.equal(access.statusCode, 201, access.body);
    assert.equal((await closed(access.json().id)).state, 'completed');

    // A value of the wrong type for the column its identity matches is refused at intake, without echoing it.
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: submitter,
      payload: {
        type: 'access',
        identities: { email: 'other.person@leak-probe.example', loyalty_no: 'Janet Leakname' },
        identityVerified: true,
      },
    });
    assert.equal(wrongType.statusCode, 400, wrongType.body);
    assert.ok(!wrongType.body.includes('Janet Leakname'), wrongType.body);

    // A value of a type Steward cannot check (inet) reaches the database, which refuses it quoting it.
    const refusedByTheDatabase = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: submitter,
      payload: {
        type: 'access',
        identities: { email: 'third.person@leak-probe.example', device_ip: 'Janet Leakname' },
        identityVerified: true,
      },
    });
    assert.equal(refusedByTheDatabase.statusCode, 201, refusedByTheDatabase.body);
    await closed(refusedByTheDatabase.json().id);
    const failedSteps = await t.database.db
      .selectFrom('dsr_request_steps')
      .select('error')
      .where('request_id', '=', refusedByTheDatabase.json().id)
      .where('error', 'is not', null)
      .execute();
    assert.ok(failedSteps.length > 0, 'the database refused the value');

    const erasure = await t.app.inject({
      method: 'POST',
      url: '/v1/requests',
      headers: submitter,
      payload: { type: 'erasure', identities: TENANT_IDENTITIES, identityVerified: true },
    });
    assert.equal(erasure.statusCode, 201, erasure.body);
    const erasureId = erasure.json().id as string;
    await waitUntil('the erasure awaits approval', async () => {
      const row = await t.database.db
        .selectFrom('dsr_requests')
        .select('state')
        .where('id', '=', erasureId)
        .executeTakeFirstOrThrow();
      return row.state === 'awaiting_approval' || undefined;
    });
    const approved = await t.app.inject({
      method: 'POST',
      url: `/v1/requests/${erasureId}/approve`,
      headers: approver,
      payload: {},
    });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal((await closed(erasureId)).state, 'completed');
    assert.deepEqual(await crm.query('SELECT id FROM members ORDER BY id'), [{ id: 2 }], 'the erasure ran');

    // The leaves as the checkpoint job writes them, rather than waiting a minute for it.
    const audit = auditConfigFor(t.services.config);
    await integratePendingEntries(t.database.db, { pseudonymKey: loadPseudonymKey(audit), batchSize: 1000 });

    const found = await tablesContaining(t, NEEDLES);
    assert.deepEqual(found, [], `identity values found in Steward's database:\n${found.join('\n')}`);
    const logged = t.logLines.filter((line) =>
      NEEDLES.some((n) => line.toLowerCase().includes(n.toLowerCase())),
    );
    assert.deepEqual(logged, [], 'identity values in the log');
  });
});

/**
 * Every table of every schema of the database, searched for each needle as text (the row cast to
 * text covers every column, JSON inside it too) and as hex (text written into bytea columns).
 */
async function tablesContaining(t: DsrTestApp, needles: string[]): Promise<string[]> {
  const tables = await sql<{ schema: string; table: string }>`
    select table_schema as schema, table_name as table from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
  `.execute(t.database.db);
  const patterns = needles.flatMap((n) => [
    `%${n.toLowerCase()}%`,
    `%${Buffer.from(n.toLowerCase()).toString('hex')}%`,
  ]);
  const found: string[] = [];
  for (const { schema, table } of tables.rows) {
    const hits = await sql<{ row: string }>`
      select lower(r::text) as row from ${sql.table(`${schema}.${table}`)} as r
      where lower(r::text) like any(${patterns})
    `.execute(t.database.db);
    for (const hit of hits.rows) found.push(`${schema}.${table}: ${hit.row.slice(0, 400)}`);
  }
  return found;
}
