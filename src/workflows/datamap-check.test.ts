import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { sarifSchemaErrors } from '../../test/support/sarif-schema.ts';
import { runSteward } from '../../test/support/steward-process.ts';
import { createPostgresDatabase } from '../../test/support/test-database.ts';
import { createSourceSystem, type TestSourceSystem } from '../../test/support/test-source-systems.ts';

/**
 * A repository whose data map declares the accounts table's name field without any purpose (so
 * without a legal basis), while a migration has added a contact_email column it does not declare.
 */
const DATAMAP = `systems:
  - id: app
    kind: postgres
    connection: { url: env:DATAMAP_CHECK_APP_URL }
    collections:
      - name: accounts
        primaryKey: [id]
        fields:
          - { name: id, identity: user_id }
          - { name: full_name, categories: [user.name] }
          - { name: plan }
`;
const LEGAL_BASIS_LINE = 6;

describe('steward datamap check: compliance and drift in one run, for CI', () => {
  let source: TestSourceSystem;
  let steward: { url: string; drop(): Promise<void> };
  let repo: string;
  const env = () => ({ DATAMAP_CHECK_APP_URL: source.url! });
  const check = (...args: string[]) =>
    runSteward(['datamap', 'check', '--config', join(repo, 'steward.yaml'), ...args], {
      cwd: repo,
      env: env(),
      timeoutMs: 180_000,
    });

  before(async () => {
    source = await createSourceSystem('postgres', 'app');
    await source.exec(`create table accounts (id int primary key, full_name text, plan text);
      insert into accounts select g, 'Person ' || g, 'free' from generate_series(1, 40) g;
      alter table accounts add column contact_email text;
      update accounts set contact_email = 'owner' || id || '@example.com';`);
    steward = await createPostgresDatabase();
    repo = mkdtempSync(join(tmpdir(), 'steward-datamap-check-'));
    mkdirSync(join(repo, 'datamap'));
    writeFileSync(join(repo, 'datamap', 'app.yaml'), DATAMAP);
    writeFileSync(
      join(repo, 'steward.yaml'),
      stringify({ database: { url: steward.url }, datamap: { path: join(repo, 'datamap') } }),
    );
  });
  after(async () => {
    await steward?.drop();
    await source?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  test('an empty data map (a wrong datamap.path) does not pass: exit 65, the reason, no report', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'steward-datamap-check-empty-'));
    writeFileSync(
      join(elsewhere, 'steward.yaml'),
      stringify({ database: { url: steward.url }, datamap: { path: join(elsewhere, 'datamap') } }),
    );
    for (const only of [[], ['--only', 'drift']]) {
      const report = join(elsewhere, 'check.sarif');
      const empty = await runSteward(
        [
          'datamap',
          'check',
          '--config',
          join(elsewhere, 'steward.yaml'),
          ...only,
          '--format',
          'sarif',
          '-o',
          report,
        ],
        { cwd: elsewhere, timeoutMs: 180_000 },
      );
      assert.equal(empty.code, 65, `${only.join(' ')}: ${empty.stderr}`);
      assert.match(
        empty.stderr,
        /^steward: The data map of tenant default declares no system, so there is nothing to check and the check does not pass\. .*--demo/,
      );
      assert.equal(existsSync(report), false);
    }
    rmSync(elsewhere, { recursive: true, force: true });
  });

  test('finds the missing legal basis and the undeclared e-mail column, exits 65, and writes valid SARIF and JUnit', async () => {
    const text = await check();
    assert.equal(text.code, 65, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(
        `^datamap/app\\.yaml:${LEGAL_BASIS_LINE}: error governance\\.undeclared_legal_basis \\(app\\.accounts\\): 1 personal field \\(full_name\\)`,
        'm',
      ),
    );
    assert.match(
      text.stdout,
      /^datamap\/app\.yaml:6: error discovery\.undeclared_field \(app\.accounts\.contact_email\): accounts\.contact_email holds user\.contact\.email/m,
    );
    assert.match(text.stdout, /^compliance: 1 error\(s\)/m);
    assert.match(text.stdout, /^drift: 1 error\(s\), 0 warning\(s\) — 1 system, 1 table or log sampled/m);
    assert.doesNotMatch(
      text.stdout + text.stderr,
      /@example\.com|Person \d/,
      'no value of the data in the output',
    );

    const sarifFile = join(repo, 'check.sarif');
    const sarif = await check('--format', 'sarif', '--output', sarifFile);
    assert.equal(sarif.code, 65, sarif.stderr);
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    assert.deepEqual(sarifSchemaErrors(log), []);
    assert.equal(log.runs.length, 1);
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: object }[] }[];
    assert.deepEqual(results.map((r) => r.ruleId).sort(), [
      'discovery.undeclared_field',
      'governance.undeclared_legal_basis',
    ]);
    for (const result of results)
      assert.deepEqual(result.locations[0]!.physicalLocation, {
        artifactLocation: { uri: 'datamap/app.yaml', uriBaseId: '%SRCROOT%' },
        region: { startLine: LEGAL_BASIS_LINE },
      });
    assert.match(sarif.stdout, /Data map check: 2 error\(s\), 0 warning\(s\)\.\nWrote the sarif report to /);

    const junit = await check('--format', 'junit');
    assert.equal(junit.code, 65);
    assert.match(
      junit.stdout,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="steward datamap check" tests="\d+" failures="2" errors="0">/,
    );
    assert.match(junit.stdout, /<failure message="[^"]+" type="governance.undeclared_legal_basis">/);
    assert.match(junit.stdout, /<failure message="[^"]+" type="discovery.undeclared_field">/);
    assert.match(junit.stderr, /Data map check: 2 error\(s\)/, 'the summary stays off the XML on stdout');
  });

  test('--only runs one check; drift with --no-sample finds the column by its name without reading a row', async () => {
    const compliance = await check('--only', 'compliance', '--json');
    assert.equal(compliance.code, 65);
    const report = JSON.parse(compliance.stdout) as {
      sources: { source: string; findings: { rule: string }[] }[];
    };
    assert.deepEqual(
      report.sources.map((s) => [s.source, s.findings.map((f) => f.rule)]),
      [['compliance', ['governance.undeclared_legal_basis']]],
    );

    const catalogOnly = await check('--only', 'drift', '--no-sample');
    assert.equal(catalogOnly.code, 65, catalogOnly.stderr);
    assert.match(catalogOnly.stdout, /discovery\.undeclared_field \(app\.accounts\.contact_email\)/);
    assert.match(catalogOnly.stdout, /read from the catalog only \(no row sampled\)/);

    const refused = await check('--only', 'compliance', '--system', 'app');
    assert.equal(refused.code, 65);
    assert.match(refused.stderr, /--system chooses the systems the drift check samples/);
  });

  test('passes (exit 0) once the data map declares the purpose and the e-mail column; --strict fails on the warning left', async () => {
    writeFileSync(
      join(repo, 'datamap', 'app.yaml'),
      DATAMAP.replace(
        '        primaryKey: [id]\n',
        '        primaryKey: [id]\n        purposes: [{ use: essential.service, legalBasis: contract }]\n',
      ).replace(
        '          - { name: plan }',
        '          - { name: plan }\n          - { name: contact_email, identity: email, categories: [user.contact.email] }',
      ),
    );
    const passing = await check();
    assert.equal(passing.code, 0, `${passing.stdout}\n${passing.stderr}`);
    assert.match(passing.stdout, /Data map check: 0 error\(s\), 1 warning\(s\)\./);
    assert.match(passing.stdout, /warning governance\.purpose_without_retention \(app\.accounts\)/);
    assert.equal(
      (await check('--strict')).code,
      65,
      'a purpose without a retention period fails a strict check',
    );
  });
});
