import type { FindingSource } from '../../../platform/datamap/findings/datamap-finding.ts';
import { checkCompliance, type ComplianceFinding } from '../core/compliance-check.ts';
import { complianceFindingSource } from '../core/compliance-findings.ts';
import type { GovernanceDeps } from './governance-deps.ts';
import { loadGovernanceView } from './load-governance-view.ts';

export interface ComplianceReport {
  checkedAt: string;
  errors: number;
  warnings: number;
  findings: ComplianceFinding[];
}

/**
 * `steward datamap check`: the tenant's data map against the registers — legal bases, retention,
 * transfers and their grounds, DPIAs where the screening requires one, processors' DPAs — each
 * finding with the data-map file and line.
 */
export async function runComplianceCheck(
  deps: GovernanceDeps,
  tenantId: string,
  at = new Date(),
): Promise<ComplianceReport> {
  const view = await loadGovernanceView(deps, tenantId, at);
  const findings = checkCompliance(view);
  return {
    checkedAt: at.toISOString(),
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    findings,
  };
}

/**
 * The compliance check as one source of `steward datamap check`: the same findings in the
 * platform's common shape, with what was checked in one line.
 */
export async function checkComplianceFindings(
  deps: GovernanceDeps,
  tenantId: string,
  at = new Date(),
): Promise<FindingSource> {
  const view = await loadGovernanceView(deps, tenantId, at);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return complianceFindingSource(
    checkCompliance(view),
    [
      plural(view.dataMap.systems.length, 'system', 'systems'),
      plural(view.activities.length, 'processing activity', 'processing activities'),
      plural(view.flows.length, 'transfer', 'transfers'),
      plural(view.processors.length, 'processor in the register', 'processors in the register'),
    ].join(', '),
  );
}
