import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import {
  BREACH_SHOP_SQL,
  ensureGovernanceSchema,
  writeBreachShopFolder,
} from '../test-support/governance-fixture.ts';

describe('/v1/governance on PostgreSQL', () => {
  let source: TestSourceSystem;
  let t: TestApp;
  before(async () => {
    source = await createSourceSystem('postgres', 'shop');
    await source.exec(BREACH_SHOP_SQL);
    t = await startTestApp({ config: { datamap: { path: writeBreachShopFolder(source.url!) } } });
    await ensureGovernanceSchema(t.database.db);
  });
  after(async () => {
    await t?.close();
    await source?.close();
  });

  test('a breach goes from report to notice through the API', async () => {
    const headers = await t.headers('owner');
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/governance/breaches',
      headers,
      payload: {
        title: 'Laptop stolen',
        description: 'An unencrypted laptop with an order export was stolen from a car.',
        nature: { confidentiality: true, integrity: false, availability: true },
        awareAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
        affected: [{ system: 'shop', collection: 'orders' }],
        contact: 'dpo@shop.example',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const breach = created.json() as { id: string; clock: { state: string; hoursLeft: number } };
    assert.equal(breach.clock.state, 'running');
    assert.ok(breach.clock.hoursLeft > 69 && breach.clock.hoursLeft < 71);
    const counted = await t.app.inject({
      method: 'POST',
      url: `/v1/governance/breaches/${breach.id}/count`,
      headers,
    });
    assert.equal((counted.json() as { count: { subjects: number } }).count.subjects, 400);
    const assessed = await t.app.inject({
      method: 'POST',
      url: `/v1/governance/breaches/${breach.id}/assessment`,
      headers,
      payload: { likelihood: 4, severity: 3 },
    });
    assert.deepEqual(
      (assessed.json() as { decision: { notifySubjects: boolean } }).decision.notifySubjects,
      true,
    );
    const pdf = await t.app.inject({
      method: 'GET',
      url: `/v1/governance/breaches/${breach.id}/notices/subjects?format=pdf`,
      headers,
    });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  });

  test('bad input is refused with what to fix, and an unknown breach is 404', async () => {
    const headers = await t.headers('owner');
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/v1/governance/processors/card-processor',
      headers,
      payload: { name: 'Card processor', role: 'processor', countries: ['usa'] },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /ISO 3166-1 alpha-2/);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/v1/governance/breaches/00000000-0000-4000-8000-000000000000',
      headers,
    });
    assert.equal(missing.statusCode, 404);
  });

  test('the check fails on a processor without a DPA, then passes once the register has it; JUnit and SARIF', async () => {
    const headers = await t.headers('owner');
    const before = (await t.app.inject({ method: 'GET', url: '/v1/governance/check', headers })).json() as {
      errors: number;
      findings: { rule: string; line?: number }[];
    };
    assert.ok(
      before.findings.some((f) => f.rule === 'governance.processor_without_dpa' && (f.line ?? 0) > 0),
    );
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/v1/governance/processors/card-processor',
      headers,
      payload: {
        name: 'Card processor',
        role: 'processor',
        countries: ['US'],
        dpa: { signedOn: '2025-01-10' },
        mechanism: { kind: 'scc', module: 2, signedOn: '2025-01-10' },
        tia: { assessedOn: '2025-01-05', outcome: 'no_supplementary_measures_needed' },
      },
    });
    assert.equal(saved.statusCode, 200, saved.body);
    const afterSave = (
      await t.app.inject({ method: 'GET', url: '/v1/governance/check', headers })
    ).json() as { errors: number };
    assert.equal(afterSave.errors, 0);
    const junit = await t.app.inject({ method: 'GET', url: '/v1/governance/check?format=junit', headers });
    assert.match(junit.body, /<testsuites name="steward datamap check"/);
    const sarif = await t.app.inject({ method: 'GET', url: '/v1/governance/check?format=sarif', headers });
    assert.equal((sarif.json() as { version: string }).version, '2.1.0');
  });

  test('the record exports as PDF and CSV, and a hand-written DPO survives regeneration', async () => {
    const headers = await t.headers('owner');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/governance/ropa/fields/*/dpo',
      headers,
      payload: { lines: ['DPO, dpo@shop.example'] },
    });
    assert.equal(put.statusCode, 204);
    const record = (await t.app.inject({ method: 'GET', url: '/v1/governance/ropa', headers })).json() as {
      entries: { fields: { key: string; lines: string[]; provenance: { kind: string } }[] }[];
    };
    const dpo = record.entries[0]!.fields.find((f) => f.key === 'dpo')!;
    assert.deepEqual([dpo.lines, dpo.provenance.kind], [['DPO, dpo@shop.example'], 'manual']);
    const pdf = await t.app.inject({ method: 'GET', url: '/v1/governance/ropa/export?format=pdf', headers });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(
      String(pdf.headers['content-disposition']),
      /attachment; filename="record-of-processing-default-/,
    );
    const csv = await t.app.inject({ method: 'GET', url: '/v1/governance/ropa/export?format=csv', headers });
    assert.match(csv.body, /^entry,role,activity,article,field,text,provenance,generated_from/);
  });

  test('reading needs a credential, writing needs the write permission', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/governance/breaches' });
    assert.equal(anonymous.statusCode, 401);
    const auditor = await t.headers('auditor');
    const write = await t.app.inject({
      method: 'PUT',
      url: '/v1/governance/ropa/fields/*/dpo',
      headers: auditor,
      payload: { lines: ['x'] },
    });
    assert.equal(write.statusCode, 403);
  });
});
