import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import type { DsrPlan } from './dsr-plan.ts';
import { normaliseIdentities, type RequestIdentities } from './normalise-identities.ts';
import { planSteps } from './plan-steps.ts';

/** Art. 15 / 20: which rows of which collections are the subject's, and how to read them. Pure. */
export function planAccess(dataMap: DataMap, identities: RequestIdentities): DsrPlan {
  const planIdentities = normaliseIdentities(dataMap, identities);
  const { systems, unreached, notes } = planSteps(dataMap, planIdentities);
  return {
    version: 1,
    kind: 'access',
    tenant: dataMap.tenant,
    identities: planIdentities,
    systems,
    unreached,
    errors: [],
    notes,
  };
}
