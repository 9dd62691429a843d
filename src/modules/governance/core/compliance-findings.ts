import type {
  DataMapFinding,
  FindingRule,
  FindingSource,
} from '../../../platform/datamap/findings/datamap-finding.ts';
import { CHECK_RULES, type CheckRule, type ComplianceFinding } from './compliance-check.ts';

/** The compliance check's rules in the shape `steward datamap check` reports (JUnit suites, SARIF rules). */
export const COMPLIANCE_RULES: readonly FindingRule[] = (Object.keys(CHECK_RULES) as CheckRule[]).map(
  (id) => ({
    id,
    title: CHECK_RULES[id].title,
    severity: CHECK_RULES[id].severity,
    reference: CHECK_RULES[id].article,
  }),
);

/**
 * The compliance findings as the platform's common findings. A place outside the data-map files
 * (`(processor register)`, `(data map)`) is no file: it goes into the path, so CI reports do not
 * point at a file that does not exist.
 */
export function complianceFindingSource(
  findings: readonly ComplianceFinding[],
  scope: string,
): FindingSource {
  return {
    source: 'compliance',
    title: 'GDPR duties of the data map and the registers',
    scope,
    rules: COMPLIANCE_RULES,
    findings: findings.map(toDataMapFinding),
  };
}

function toDataMapFinding(f: ComplianceFinding): DataMapFinding {
  const label = f.file.startsWith('(');
  return {
    rule: f.rule,
    severity: f.severity,
    ...(label ? {} : { file: f.file }),
    ...(f.line && !label ? { line: f.line } : {}),
    path: label ? `${f.file} ${f.path}`.trim() : f.path,
    subject: f.subject,
    message: f.message,
    fix: f.fix,
    reference: f.article,
  };
}
