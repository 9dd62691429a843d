import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  aDemoShopDatabase,
  POSTGRES_ADMIN_URL,
  databaseUrl,
  withConnection,
} from '../../../../test/support/test-database.ts';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { ensureDemoShop } from '../../demo/api.ts';
import { CONTROLLER_FIELDS } from '../core/record-of-processing.ts';
import { ensureGovernanceSchema } from '../test-support/governance-fixture.ts';
import { runComplianceCheck } from './check-compliance.ts';
import { diffRopa } from './diff-ropa.ts';
import { exportRopa } from './export-ropa.ts';
import { draftBreachNotice } from './draft-breach-notice.ts';
import { listTransfers } from './list-transfers.ts';
import { readDpia } from './save-dpia.ts';
import { listDpias } from '../store/dpia-store.ts';
import { listBreaches } from '../store/breach-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { readBreachView } from './read-breach.ts';
import { seedGovernanceDemo } from './seed-governance-demo.ts';
import { writeRopaField } from './write-ropa-field.ts';

const hasPdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('governance on the demo shop (PostgreSQL)', () => {
  const root = mkdtempSync(join(tmpdir(), 'steward-governance-demo-'));
  const shop = aDemoShopDatabase();
  let t: TestApp;

  before(async () => {
    await ensureDemoShop({ serverUrl: POSTGRES_ADMIN_URL, database: shop.name, people: 30 });
    t = await startTestApp({
      config: {
        demo: { enabled: true, database: shop.name, dataDir: join(root, 'demo'), people: 30 },
        datamap: { path: join(root, 'no-own-datamap') },
      },
    });
    // The governance section of steward.yaml, as governanceSettings() reads it (also before the lead wires the schema).
    Object.assign(t.services.config, { governance: { timeZone: 'Europe/Berlin' } });
    await ensureGovernanceSchema(t.database.db);
    assert.equal(await seedGovernanceDemo(t.services), true);
  });
  after(async () => {
    await t?.close();
    await shop.drop();
    rmSync(root, { recursive: true, force: true });
  });

  test('the seed runs once', async () => {
    assert.equal(await seedGovernanceDemo(t.services), false);
  });

  test('the closed breach counts its subjects in the shop, as a COUNT(DISTINCT) query does', async () => {
    const [item] = await listBreaches(governanceDb(t.database.db), 'default', 'closed');
    const breach = await readBreachView(t.services, 'default', item!.id);
    const [truth] = await withConnection(
      databaseUrl(POSTGRES_ADMIN_URL, shop.name),
      async (client) =>
        (
          await client.query(
            'select count(distinct customer_id)::int as subjects, count(*)::int as records from support_tickets',
          )
        ).rows as { subjects: number; records: number }[],
    );
    assert.equal(breach.count?.subjects, truth!.subjects);
    assert.equal(breach.count?.records, truth!.records);
    assert.equal(breach.clock.state, 'met');
    assert.equal(breach.clock.awareLocal, '2026-02-10 09:30 CET (UTC+01:00)');
    assert.equal(breach.clock.deadlineLocal, '2026-02-13 09:30 CET (UTC+01:00)');
    assert.deepEqual(
      breach.notifications.map((n) => n.phase),
      ['initial', 'final'],
    );
  });

  test('the authority draft has Art. 33(3)(a)–(d) and the subjects draft is plain language', async () => {
    const [item] = await listBreaches(governanceDb(t.database.db), 'default', 'closed');
    const { draft } = await draftBreachNotice(t.services, 'default', item!.id, 'authority', 'json');
    assert.deepEqual(
      draft.sections
        .map((s) => s.article)
        .filter(Boolean)
        .slice(0, 6),
      ['Art. 33(1)', 'Art. 33(3)(a)', 'Art. 33(3)(a)', 'Art. 33(3)(b)', 'Art. 33(3)(c)', 'Art. 33(3)(d)'],
    );
    assert.equal(draft.phase, 'follow_up');
    const subjects = await draftBreachNotice(t.services, 'default', item!.id, 'subjects', 'html');
    assert.match(String(subjects.document.body), /What happened/);
    assert.doesNotMatch(String(subjects.document.body), /user\.contact/);
    const pdf = await draftBreachNotice(t.services, 'default', item!.id, 'authority', 'pdf');
    assert.equal((pdf.document.body as Buffer).subarray(0, 5).toString(), '%PDF-');
  });

  test('the RoPA export has every Art. 30(1)(a)–(g) field in JSON, CSV and HTML, and hand-written fields survive', async () => {
    const json = JSON.parse(String((await exportRopa(t.services, 'default', 'json')).body)) as {
      entries: { id: string; fields: { key: string; article: string; provenance: { kind: string } }[] }[];
    };
    const entry = json.entries.find((e) => e.id === 'controller:essential.service.payment_processing')!;
    for (const point of ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
      assert.ok(
        entry.fields.some((f) => f.article === `Art. 30(1)(${point})`),
        `JSON lacks Art. 30(1)(${point})`,
      );
    assert.equal(entry.fields.find((f) => f.key === 'securityMeasures')?.provenance.kind, 'manual');
    const csv = String((await exportRopa(t.services, 'default', 'csv')).body);
    const html = String((await exportRopa(t.services, 'default', 'html')).body);
    for (const { label, article } of CONTROLLER_FIELDS) {
      assert.ok(csv.includes(article), `CSV lacks ${article}`);
      assert.ok(html.includes(label.replace(/'/g, '&#39;')), `HTML lacks ${label}`);
    }
    assert.match(csv, /module 2, signed 2024-03-01/);
  });

  test('the PDF export is a real PDF with the record in it', async () => {
    const pdf = (await exportRopa(t.services, 'default', 'pdf')).body as Buffer;
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.length > 5000);
    if (!hasPdftoppm) return;
    const file = join(root, 'ropa.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    assert.match(text, /Record of processing activities/);
    assert.match(text, /Art\. 30\(1\)\(g\)/);
    assert.match(text, /Payment service provider/);
  });

  test('a hand-written change and a new generation show in the diff', async () => {
    await exportRopa(t.services, 'default', 'json');
    await writeRopaField(
      t.services,
      'default',
      { entryId: '*', field: 'dpo', lines: ['Dr. Example, dpo@shop.example'] },
      { kind: 'user', id: 'dpo' },
    );
    const diff = await diffRopa(t.services, 'default');
    const dpo = diff.changes.filter((c) => c.field === 'dpo');
    assert.ok(dpo.length > 0);
    assert.deepEqual(dpo[0]!.added, ['Dr. Example, dpo@shop.example']);
  });

  test('the transfer to the US rests on SCC module 2 with a TIA', async () => {
    const report = await listTransfers(t.services, 'default');
    const us = report.flows.find((f) => f.country === 'US')!;
    assert.equal(us.lawful, true);
    assert.match(us.grounds.join(), /module 2/);
    assert.equal(us.tia?.reference, 'TIA-2024-002');
  });

  test('the DPIA has two versions, the second signed off with residual risk below high', async () => {
    const [summary] = await listDpias(governanceDb(t.database.db), 'default');
    const dpia = await readDpia(t.services, 'default', summary!.id);
    assert.equal(dpia.versions.length, 2);
    assert.equal(dpia.current.content.signOff?.by, 'Head of e-commerce');
    assert.equal(dpia.evaluation.priorConsultationRequired, false);
    assert.deepEqual(dpia.evaluation.missing, []);
  });

  test('the compliance check on the demo has no errors and points warnings at data-map lines', async () => {
    const report = await runComplianceCheck(t.services, 'default');
    assert.equal(report.errors, 0, JSON.stringify(report.findings.filter((f) => f.severity === 'error')));
    assert.ok(
      report.findings.some(
        (f) =>
          f.rule === 'governance.purpose_without_retention' &&
          f.subject === 'shop.addresses' &&
          (f.line ?? 0) > 0,
      ),
    );
  });
});
