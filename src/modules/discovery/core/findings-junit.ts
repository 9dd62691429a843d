import type { LocatedFinding } from './findings-sarif.ts';

/**
 * JUnit XML for CI test reports: one suite per system, one test case per collection checked, a
 * failure per error finding (warnings are reported as system-out, so they do not fail the build).
 */
export function renderJunit(
  findings: readonly LocatedFinding[],
  checked: readonly { system: string; collection: string }[],
): string {
  const systems = [...new Set(checked.map((c) => c.system))].sort();
  const suites = systems.map((system) => {
    const cases = checked
      .filter((c) => c.system === system)
      .map((c) => {
        const mine = findings.filter(
          (f) => f.finding.system === system && f.finding.collection === c.collection,
        );
        const errors = mine.filter((f) => f.finding.severity === 'error');
        const warnings = mine.filter((f) => f.finding.severity === 'warning');
        const failures = errors
          .map(
            (f) =>
              `      <failure type="${f.finding.code}" message="${xml(f.finding.message)}">${xml(`${f.path}:${f.line}`)}</failure>`,
          )
          .join('\n');
        const out = warnings.length
          ? `      <system-out>${xml(warnings.map((f) => `warning ${f.path}:${f.line} ${f.finding.message}`).join('\n'))}</system-out>`
          : '';
        const body = [failures, out].filter(Boolean).join('\n');
        return `    <testcase classname="${xml(system)}" name="${xml(c.collection)}"${body ? `>\n${body}\n    </testcase>` : ' />'}`;
      });
    const failures = findings.filter(
      (f) => f.finding.system === system && f.finding.severity === 'error',
    ).length;
    return `  <testsuite name="${xml(`datamap check ${system}`)}" tests="${cases.length}" failures="${failures}" errors="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const total = checked.length;
  const failed = findings.filter((f) => f.finding.severity === 'error').length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="steward datamap check" tests="${total}" failures="${failed}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
