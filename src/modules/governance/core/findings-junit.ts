import { CHECK_RULES, type CheckRule, type ComplianceFinding } from './compliance-check.ts';

// eslint-disable-next-line no-control-regex -- these are exactly the characters to remove
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

const escapeXml = (text: string) =>
  text
    .replace(
      /[<>&'"]/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
    )
    // XML 1.0 forbids most control characters even when escaped.
    .replace(CONTROL_CHARACTERS, '');

const where = (f: ComplianceFinding) => `${f.file}${f.line ? `:${f.line}` : ''}`;

/**
 * The findings as JUnit XML, the format every CI system shows as test results: one test suite per
 * rule; a finding is a test case that fails (errors) or passes with the warning in its output;
 * a rule without findings is one passing case, so the report lists everything that was checked.
 */
export function renderJunit(findings: readonly ComplianceFinding[], name = 'steward datamap check'): string {
  const suites = (Object.keys(CHECK_RULES) as CheckRule[]).map((rule) => {
    const mine = findings.filter((f) => f.rule === rule);
    const failures = mine.filter((f) => f.severity === 'error').length;
    const cases = mine.length
      ? mine.map((f) => {
          const caseName = escapeXml(`${f.subject} (${where(f)})`);
          const body = `${f.message}. Fix: ${f.fix}. ${f.article}. At ${where(f)} ${f.path}`;
          return f.severity === 'error'
            ? `    <testcase classname="${rule}" name="${caseName}" file="${escapeXml(f.file)}"${f.line ? ` line="${f.line}"` : ''}>\n      <failure message="${escapeXml(f.message)}" type="${rule}">${escapeXml(body)}</failure>\n    </testcase>`
            : `    <testcase classname="${rule}" name="${caseName}" file="${escapeXml(f.file)}"${f.line ? ` line="${f.line}"` : ''}>\n      <system-out>${escapeXml(`warning: ${body}`)}</system-out>\n    </testcase>`;
        })
      : [`    <testcase classname="${rule}" name="${escapeXml(CHECK_RULES[rule].title)}: no findings"/>`];
    return `  <testsuite name="${rule}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const failures = findings.filter((f) => f.severity === 'error').length;
  const tests = suites.length + findings.length - new Set(findings.map((f) => f.rule)).size;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(name)}" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
