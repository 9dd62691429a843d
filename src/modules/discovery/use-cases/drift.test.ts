import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createSourceSystem, type TestSourceSystem } from '../../../../test/support/test-source-systems.ts';
import { validateDataMapFiles } from '../../../platform/datamap/load-datamap.ts';
import { openCatalogFromUrl } from '../../../platform/datamap/introspection/open-catalog.ts';
import { findDrift } from '../core/drift.ts';
import { combineFindings } from '../../../platform/datamap/findings/datamap-finding.ts';
import { renderFindingsJunit } from '../../../platform/datamap/findings/render-findings-junit.ts';
import { renderFindingsSarif } from '../../../platform/datamap/findings/render-findings-sarif.ts';
import { driftFindingSource } from '../core/drift-findings.ts';
import { discoverDatabase } from './discover-database.ts';
import { locateFindings, proposeDataMapChanges } from './propose-datamap-changes.ts';

/** A data map written by hand a while ago, with comments, before a migration added columns and a table. */
const DATAMAP = `# The CRM, as the privacy team declared it in March.
systems:
  - id: crm
    kind: postgres
    connection: { url: env:CRM_DB_URL }
    collections:
      # People who bought something.
      - name: customers
        primaryKey: [id]
        fields:
          - { name: id, identity: user_id, categories: [user.unique_id] }
          - { name: full_name, categories: [user.name] } # shown on invoices
          - { name: notes, categories: [] }
`;

let source: TestSourceSystem;
let dir: string;
before(async () => {
  source = await createSourceSystem('postgres', 'crm');
  await source.exec(`
    create table customers (id int primary key, full_name text, notes text, email text);
    insert into customers select g, 'Person ' || g, 'contact-' || g || '@example.com', 'c' || g || '@example.org' from generate_series(1, 60) g;
    create table newsletter_signups (id int primary key, address text, signed_up_at timestamptz);
    insert into newsletter_signups select g, 'reader' || g || '@example.net', now() from generate_series(1, 40) g;
    create table products (id int primary key, title text);
    insert into products select g, 'Widget ' || g from generate_series(1, 20) g;
  `);
  dir = mkdtempSync(join(tmpdir(), 'steward-drift-'));
  writeFileSync(join(dir, 'crm.yaml'), DATAMAP);
});
after(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

async function driftNow() {
  const validation = validateDataMapFiles([dir]);
  assert.deepEqual(
    validation.problems.filter((p) => p.severity === 'error'),
    [],
  );
  const system = validation.dataMaps[0]!.systems[0]!;
  const catalog = await openCatalogFromUrl(source.url);
  try {
    return findDrift(system, await discoverDatabase({ system: 'crm', catalog }));
  } finally {
    await catalog.close();
  }
}

test('drift is a reviewable YAML diff that applies cleanly to the data map it came from, keeps its comments, and leaves nothing to report', async () => {
  const findings = await driftNow();
  assert.deepEqual(findings.map((f) => [f.code, f.collection, f.field ?? null, f.categories[0]]).sort(), [
    ['discovery.category_mismatch', 'customers', 'notes', 'user.contact.email'],
    ['discovery.undeclared_collection', 'newsletter_signups', null, 'user.contact.email'],
    ['discovery.undeclared_field', 'customers', 'email', 'user.contact.email'],
  ]);

  const [patch] = proposeDataMapChanges(findings, dir);
  assert.equal(patch!.path, 'crm.yaml');
  writeFileSync(join(dir, 'crm.patch'), patch!.diff);
  // The real tools a reviewer would use: git apply checks it, patch applies it.
  execFileSync('git', ['apply', '--check', '--unsafe-paths', '--directory=.', 'crm.patch'], { cwd: dir });
  execFileSync('patch', ['-p1', '-i', 'crm.patch'], { cwd: dir });
  rmSync(join(dir, 'crm.patch'));
  rmSync(join(dir, 'crm.yaml.orig'), { force: true });
  const patched = readFileSync(join(dir, 'crm.yaml'), 'utf8');
  assert.equal(patched, patch!.after);
  assert.match(patched, /^# The CRM, as the privacy team declared it in March\./);
  assert.match(patched, /# People who bought something\./);
  assert.match(patched, /# shown on invoices/);
  assert.match(patched, /\{ name: email, categories: \[user\.contact\.email\], review: true \}/);
  // Only the proposals change: the one line whose categories are corrected is the one line removed.
  assert.deepEqual(
    patch!.diff.split('\n').filter((line) => line.startsWith('-') && !line.startsWith('--- ')),
    ['-          - { name: notes, categories: [] }'],
  );

  // The patched map loads, and the same data no longer drifts from it.
  assert.deepEqual(await driftNow(), []);
});

test('findings render as SARIF 2.1.0 and JUnit pointing at data-map lines, with no personal values', async () => {
  writeFileSync(join(dir, 'crm.yaml'), DATAMAP);
  const report = combineFindings(
    [driftFindingSource(locateFindings(await driftNow(), dir), 'crm sampled')],
    new Date('2026-05-01T00:00:00Z'),
  );
  const sarif = renderFindingsSarif(report, { root: dir, version: '0.1.0' });
  assert.equal(sarif.version, '2.1.0');
  const notes = sarif.runs[0]!.results!.find((r) => r.ruleId === 'discovery.category_mismatch')!;
  assert.equal(
    notes.level,
    'error',
    'declared as holding no personal data: an error, whatever the rule default',
  );
  assert.deepEqual(notes.locations![0]!.physicalLocation, {
    artifactLocation: { uri: 'crm.yaml', uriBaseId: '%SRCROOT%' },
    region: { startLine: 13 },
  });
  const junit = renderFindingsJunit(report, { root: dir });
  assert.match(junit, /<testsuites name="steward datamap check" tests="3" failures="3"/);
  assert.match(junit, /<testsuite name="discovery.undeclared_field" tests="1" failures="1"/);
  assert.match(
    junit,
    /<testcase classname="discovery.undeclared_collection" name="crm.newsletter_signups \(crm.yaml:\d+\)"/,
  );
  assert.doesNotMatch(`${JSON.stringify(sarif)}${junit}`, /@example/);
});
