import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sarifSchemaErrors } from '../../../../test/support/sarif-schema.ts';
import { checkFails, combineFindings, type FindingSource } from './datamap-finding.ts';
import { renderFindingsJunit } from './render-findings-junit.ts';
import { renderFindingsSarif } from './render-findings-sarif.ts';
import { renderFindingsText } from './render-findings-text.ts';

const ROOT = '/repo';

/** A compliance check that found a shop collection without a legal basis and a processor without a DPA. */
const compliance: FindingSource = {
  source: 'compliance',
  title: 'GDPR duties',
  scope: '1 system',
  rules: [
    {
      id: 'governance.undeclared_legal_basis',
      title: 'No legal basis',
      severity: 'error',
      reference: 'GDPR Art. 6(1)',
    },
    {
      id: 'governance.processor_without_dpa',
      title: 'No DPA',
      severity: 'error',
      reference: 'GDPR Art. 28(3)',
    },
    { id: 'governance.dpia_missing', title: 'No DPIA', severity: 'error', reference: 'GDPR Art. 35(1)' },
  ],
  findings: [
    {
      rule: 'governance.undeclared_legal_basis',
      severity: 'error',
      file: '/repo/datamap/shop.yaml',
      line: 12,
      path: 'systems[shop].collections[orders]',
      subject: 'shop.orders',
      message: '1 personal field (email) has no purpose',
      fix: 'add `purposes:`',
      reference: 'GDPR Art. 6(1)',
    },
    {
      rule: 'governance.processor_without_dpa',
      severity: 'error',
      path: '(processor register) card-processor',
      subject: 'Card <processor> & "co"',
      message: "the register records no DPA, it's missing",
      fix: 'record the agreement',
      reference: 'GDPR Art. 28(3)',
    },
  ],
};

/** A drift check that found a warning in a data-map file outside the checkout. */
const drift: FindingSource = {
  source: 'drift',
  title: 'The data against the data map',
  scope: '1 system sampled',
  rules: [
    {
      id: 'discovery.category_mismatch',
      title: 'Category mismatch',
      severity: 'warning',
      reference: 'GDPR Art. 30(1)(c)',
    },
  ],
  findings: [
    {
      rule: 'discovery.category_mismatch',
      severity: 'warning',
      file: '/elsewhere/crm map.yaml',
      line: 3,
      path: 'systems[crm].collections[people].fields[notes]',
      subject: 'crm.people.notes',
      message: 'declared as user.name but its data says user.contact.email',
      fix: 'add the category',
      reference: 'GDPR Art. 30(1)(c)',
      properties: { categories: ['user.contact.email'], confidence: 0.9 },
    },
  ],
};

const report = combineFindings([compliance, drift], new Date('2026-05-01T00:00:00Z'));

describe('datamap check findings, whichever check found them', () => {
  it('count errors and warnings, and fail on errors (on warnings only when strict)', () => {
    assert.deepEqual([report.errors, report.warnings], [2, 1]);
    assert.equal(checkFails(report, false), true);
    const onlyWarnings = combineFindings([drift], new Date());
    assert.equal(checkFails(onlyWarnings, false), false);
    assert.equal(checkFails(onlyWarnings, true), true);
  });

  it('print as file:line lines relative to the checkout, then a line per check and the totals', () => {
    const text = renderFindingsText(report, ROOT);
    assert.match(
      text,
      /^datamap\/shop\.yaml:12: error governance\.undeclared_legal_basis \(shop\.orders\): 1 personal field \(email\) has no purpose\. Fix: add `purposes:`\. \[GDPR Art\. 6\(1\)\]$/m,
    );
    assert.match(text, /^\(processor register\) card-processor: error governance\.processor_without_dpa/m);
    assert.match(text, /^compliance: 2 error\(s\), 0 warning\(s\) — 1 system$/m);
    assert.match(text, /^drift: 0 error\(s\), 1 warning\(s\) — 1 system sampled$/m);
    assert.match(text, /Data map check: 2 error\(s\), 1 warning\(s\)\.\n$/);
  });

  it('render as JUnit: a suite per rule, failing cases for errors, a passing case for a clear rule, escaped', () => {
    const xml = renderFindingsJunit(report, { root: ROOT });
    assert.match(xml, /<testsuites name="steward datamap check" tests="4" failures="2" errors="0">/);
    assert.match(xml, /<testsuite name="governance.undeclared_legal_basis" tests="1" failures="1"/);
    assert.match(
      xml,
      /<testcase classname="governance.undeclared_legal_basis" name="shop.orders \(datamap\/shop.yaml:12\)" file="datamap\/shop.yaml" line="12">/,
    );
    assert.match(xml, /<testcase classname="governance.dpia_missing" name="No DPIA: no findings"\/>/);
    assert.match(
      xml,
      /name="Card &lt;processor&gt; &amp; &quot;co&quot; \(\(processor register\) card-processor\)">/,
    );
    assert.match(xml, /message="the register records no DPA, it&apos;s missing"/);
    assert.match(
      xml,
      /<testsuite name="discovery.category_mismatch" tests="1" failures="0"[^>]*>\n\s*<properties>\n\s*<property name="check" value="drift"\/>/,
    );
    assert.match(xml, /<system-out>warning: declared as user.name/);
  });

  it('render as one SARIF 2.1.0 run that the OASIS schema accepts, with the rules of both checks', () => {
    const sarif = renderFindingsSarif(report, { root: ROOT, version: '1.2.3' });
    assert.deepEqual(sarifSchemaErrors(sarif), []);
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0]!;
    assert.deepEqual(
      run.tool.driver.rules!.map((r) => r.id),
      [
        'governance.undeclared_legal_basis',
        'governance.processor_without_dpa',
        'governance.dpia_missing',
        'discovery.category_mismatch',
      ],
    );
    const [legalBasis, dpa, mismatch] = run.results!;
    assert.deepEqual(legalBasis!.locations![0]!.physicalLocation, {
      artifactLocation: { uri: 'datamap/shop.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12 },
    });
    assert.equal(dpa!.locations![0]!.physicalLocation, undefined, 'a register entry is no file');
    assert.equal(
      dpa!.locations![0]!.logicalLocations![0]!.fullyQualifiedName,
      '(processor register) card-processor',
    );
    assert.equal(mismatch!.ruleIndex, 3);
    assert.equal(mismatch!.level, 'warning');
    assert.equal(
      mismatch!.locations![0]!.physicalLocation!.artifactLocation!.uri,
      'file:///elsewhere/crm%20map.yaml',
      'a file outside the checkout keeps its absolute address',
    );
    assert.deepEqual(mismatch!.properties, {
      reference: 'GDPR Art. 30(1)(c)',
      categories: ['user.contact.email'],
      confidence: 0.9,
    });
  });

  it('render an empty report as valid SARIF and a passing JUnit', () => {
    const empty = combineFindings([{ ...compliance, findings: [] }], new Date());
    assert.deepEqual(sarifSchemaErrors(renderFindingsSarif(empty, { root: ROOT, version: '1.2.3' })), []);
    assert.match(renderFindingsJunit(empty, { root: ROOT }), /tests="3" failures="0"/);
  });
});
