import { checkCompliance, type ComplianceFinding } from '../core/compliance-check.ts';
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
