import type { DataMapCheckReport, DataMapFinding, FindingRule, FindingSource } from './datamap-finding.ts';
import { findingLocation } from './render-findings-text.ts';

// eslint-disable-next-line no-control-regex -- exactly the characters XML 1.0 forbids, even escaped
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
};

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ENTITIES[c]!).replace(CONTROL_CHARACTERS, '');
}

/**
 * The findings as JUnit XML, which every CI system shows as test results: one test suite per rule
 * of every check that ran, a test case per finding — failing for an error, passing with the warning
 * in its output — and one passing case for a rule without findings, so the report lists everything
 * that was checked.
 */
export function renderFindingsJunit(
  report: DataMapCheckReport,
  options: { root: string; name?: string },
): string {
  const suites = report.sources.flatMap((source) =>
    source.rules.map((rule) => suite(source, rule, options.root)),
  );
  const cases = suites.reduce((n, s) => n + s.tests, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(options.name ?? 'steward datamap check')}" tests="${cases}" failures="${report.errors}" errors="0">\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}

function suite(source: FindingSource, rule: FindingRule, root: string): { tests: number; xml: string } {
  const mine = source.findings.filter((f) => f.rule === rule.id);
  const failures = mine.filter((f) => f.severity === 'error').length;
  const cases = mine.length
    ? mine.map((f) => testCase(f, root))
    : [`    <testcase classname="${xml(rule.id)}" name="${xml(`${rule.title}: no findings`)}"/>`];
  const properties = `    <properties>\n      <property name="check" value="${xml(source.source)}"/>\n      <property name="reference" value="${xml(rule.reference)}"/>\n    </properties>`;
  return {
    tests: cases.length,
    xml: `  <testsuite name="${xml(rule.id)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${properties}\n${cases.join('\n')}\n  </testsuite>`,
  };
}

function testCase(f: DataMapFinding, root: string): string {
  const where = findingLocation(f, root);
  const attributes = `classname="${xml(f.rule)}" name="${xml(`${f.subject} (${where})`)}"${f.file ? ` file="${xml(where.replace(/:\d+$/, ''))}"` : ''}${f.line ? ` line="${f.line}"` : ''}`;
  const body = `${f.message}. Fix: ${f.fix}. ${f.reference}. At ${where} ${f.path}`;
  return f.severity === 'error'
    ? `    <testcase ${attributes}>\n      <failure message="${xml(f.message)}" type="${xml(f.rule)}">${xml(body)}</failure>\n    </testcase>`
    : `    <testcase ${attributes}>\n      <system-out>${xml(`warning: ${body}`)}</system-out>\n    </testcase>`;
}
