import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { locateDataMap } from '../use-cases/locate-datamap.ts';
import { checkCompliance, type ComplianceFinding } from './compliance-check.ts';
import { aUsPaymentProcessor, DEMO_DATAMAP_FILE, demoDataMap } from './demo-datamap-fixture.ts';
import { screenActivity, type ScreeningAnswer } from './dpia-screening.ts';
import { combineFindings } from '../../../platform/datamap/findings/datamap-finding.ts';
import { renderFindingsJunit } from '../../../platform/datamap/findings/render-findings-junit.ts';
import { renderFindingsSarif } from '../../../platform/datamap/findings/render-findings-sarif.ts';
import { complianceFindingSource } from './compliance-findings.ts';
import { deriveProcessingActivities } from './processing-activities.ts';
import type { ProcessorRecord } from './processor-record.ts';
import { deriveTransferFlows } from './transfer-flows.ts';

/** Where this checkout is: SARIF locations are relative to it, wherever it was cloned. */
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const largeScale: ScreeningAnswer = {
  criterion: 'large_scale',
  met: true,
  reason: 'every visitor of the shop',
  by: 'user:dpo',
  at: '2026-05-01T00:00:00Z',
};

function check(processors: ProcessorRecord[], answers: ScreeningAnswer[] = [], withDpia: string[] = []) {
  const dataMap = demoDataMap();
  const locations = locateDataMap(dataMap);
  const activities = deriveProcessingActivities(dataMap, locations);
  const screenings = activities.map((a) =>
    screenActivity(
      a,
      answers.map((x) => x),
    ),
  );
  return checkCompliance({
    dataMap,
    activities,
    screenings,
    activitiesWithDpia: new Set(withDpia),
    flows: deriveTransferFlows({ dataMap, processors, locations, at: new Date('2026-06-01T00:00:00Z') }),
    processors,
    locations,
  });
}

const lineText = (line: number | undefined) =>
  readFileSync(DEMO_DATAMAP_FILE, 'utf8').split('\n')[(line ?? 0) - 1] ?? '';

describe('DPIA screening (WP248 criteria)', () => {
  const sessions = () =>
    deriveProcessingActivities(demoDataMap(), locateDataMap(demoDataMap())).find(
      (a) => a.id === 'analytics.reporting',
    )!;

  it('finds systematic monitoring in session tracking but requires no DPIA for one criterion', () => {
    const screening = screenActivity(sessions());
    assert.deepEqual(
      screening.criteria.filter((c) => c.met).map((c) => c.criterion),
      ['systematic_monitoring'],
    );
    assert.equal(screening.dpiaRequired, false);
  });

  it('requires a DPIA at two criteria and lists the reasons', () => {
    const screening = screenActivity(sessions(), [largeScale]);
    assert.equal(screening.dpiaRequired, true);
    assert.equal(screening.reasons.length, 2);
    assert.match(screening.reasons.join('\n'), /Systematic monitoring: .*user\.device/);
    assert.match(screening.reasons.join('\n'), /large scale: every visitor/);
  });

  it('reopens when the data map meets a criterion the recorded screening did not', () => {
    const screening = screenActivity(sessions(), [], []);
    assert.deepEqual(screening.reopenedBy, ['systematic_monitoring']);
    assert.deepEqual(screenActivity(sessions(), [], ['systematic_monitoring']).reopenedBy, []);
  });
});

describe('steward datamap check findings', () => {
  it('flags the processor without a DPA and the DPF transfer without a certification, at their lines', () => {
    const findings = check([]);
    const dpa = findings.find((f) => f.rule === 'governance.processor_without_dpa');
    assert.equal(dpa?.file, DEMO_DATAMAP_FILE);
    assert.match(lineText(dpa?.line), /Payment service provider/);
    const transfer = findings.find((f) => f.rule === 'governance.transfer_without_safeguard');
    assert.equal(transfer?.severity, 'error');
    assert.match(lineText(transfer?.line), /country: US/);
  });

  it('is clear of errors once the register has the DPA and SCCs, leaving the warnings', () => {
    const findings = check([aUsPaymentProcessor()]);
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error'),
      [],
    );
    const retention = findings.find((f) => f.rule === 'governance.purpose_without_retention');
    assert.equal(retention?.subject, 'shop.addresses');
    assert.match(lineText(retention?.line), /name: addresses/);
    assert.ok(
      findings.some(
        (f) => f.rule === 'governance.legitimate_interest_unstated' && f.subject === 'shop.sessions',
      ),
    );
  });

  it('flags a DPIA-required activity without a DPIA, and not once a DPIA exists', () => {
    const missing = check([aUsPaymentProcessor()], [largeScale]).filter(
      (f) => f.rule === 'governance.dpia_missing',
    );
    assert.ok(missing.some((f) => f.subject === 'controller:analytics.reporting'));
    const sessionsFinding = missing.find((f) => f.subject === 'controller:analytics.reporting')!;
    assert.match(lineText(sessionsFinding.line), /analytics\.reporting/);
    const withDpia = check([aUsPaymentProcessor()], [largeScale], ['controller:analytics.reporting']);
    assert.ok(
      !withDpia.some(
        (f) => f.rule === 'governance.dpia_missing' && f.subject === 'controller:analytics.reporting',
      ),
    );
  });

  it('flags personal data without any purpose (no legal basis declared)', () => {
    const dataMap = demoDataMap();
    dataMap.systems[0]!.collections.find((c) => c.name === 'support_tickets')!.purposes = [];
    const locations = locateDataMap(dataMap);
    const findings = checkCompliance({
      dataMap,
      activities: [],
      screenings: [],
      activitiesWithDpia: new Set(),
      flows: [],
      processors: [],
      locations,
    });
    const finding = findings.find((f) => f.rule === 'governance.undeclared_legal_basis');
    assert.equal(finding?.subject, 'shop.support_tickets');
    assert.match(finding?.message ?? '', /customer_id, body/);
  });

  const asReport = (findings: readonly ComplianceFinding[]) =>
    combineFindings([complianceFindingSource(findings, 'the demo shop')], new Date('2026-05-01T00:00:00Z'));

  it('renders JUnit XML with a failing case per error and a passing case per clear rule', () => {
    const xml = renderFindingsJunit(asReport(check([])), { root: REPOSITORY_ROOT });
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
    assert.match(xml, /<testsuite name="governance.processor_without_dpa" tests="1" failures="1"/);
    assert.match(
      xml,
      /<testcase classname="governance.dpia_missing" name="Activity that needs a DPIA has none: no findings"\/>/,
    );
    assert.match(xml, /<failure message="[^"]+" type="governance.transfer_without_safeguard">/);
    const tricky = renderFindingsJunit(
      asReport([
        { ...check([]).find((f) => f.severity === 'error')!, subject: 'a <b> & "c"', message: "it's <bad>" },
      ]),
      { root: REPOSITORY_ROOT },
    );
    assert.match(tricky, /name="a &lt;b&gt; &amp; &quot;c&quot; \(/);
    assert.match(tricky, /message="it&apos;s &lt;bad&gt;"/);
  });

  it('renders SARIF 2.1.0 with rule ids, levels and relative file regions', () => {
    const sarif = renderFindingsSarif(asReport(check([])), { root: REPOSITORY_ROOT, version: '0.1.0' });
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0]!;
    assert.ok(run.tool.driver.rules?.some((r) => r.id === 'governance.processor_without_dpa'));
    const result = run.results!.find((r) => r.ruleId === 'governance.processor_without_dpa')!;
    assert.equal(result.level, 'error');
    const physical = result.locations![0]!.physicalLocation!;
    assert.equal(physical.artifactLocation!.uri, 'src/modules/demo/shop/shop-datamap.yaml');
    assert.ok((physical.region?.startLine ?? 0) > 0);
  });
});
