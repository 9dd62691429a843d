import { ADEQUACY_LIST_COMPILED_ON } from '../core/adequacy-decisions.ts';
import { describeBasis, type TransferFlow } from '../core/transfer-flows.ts';
import { formatLocation } from '../core/source-location.ts';
import type { GovernanceDeps } from './governance-deps.ts';
import { loadGovernanceView } from './load-governance-view.ts';

export interface TransferReport {
  at: string;
  adequacyListCompiledOn: string;
  flows: (Omit<TransferFlow, 'location'> & { grounds: string[]; lawful: boolean; declaredAt: string })[];
}

/** Every flow of personal data out of the EEA with its grounds (GDPR Chapter V), judged today. */
export async function listTransfers(
  deps: GovernanceDeps,
  tenantId: string,
  at = new Date(),
): Promise<TransferReport> {
  const view = await loadGovernanceView(deps, tenantId, at);
  return {
    at: at.toISOString(),
    adequacyListCompiledOn: ADEQUACY_LIST_COMPILED_ON,
    flows: view.flows.map(({ location, ...flow }) => ({
      ...flow,
      grounds: flow.bases.map(describeBasis),
      lawful: flow.bases.length > 0,
      declaredAt: formatLocation(location),
    })),
  };
}
