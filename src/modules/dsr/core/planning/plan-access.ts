import type { DataMap } from '../../../../platform/datamap/datamap-types.ts';
import type { DsrPlan } from './dsr-plan.ts';
import { normaliseIdentities, type RequestIdentities } from './normalise-identities.ts';
import { applyFacts, identityFormatWarnings, type PlanFacts } from './plan-facts.ts';
import { planSteps } from './plan-steps.ts';

/**
 * Art. 15 / 20: which rows of which collections are the subject's, and how to read them; fields
 * about other people in those rows are withheld (Art. 15(4)), and rows that name the subject as
 * another person (a gift's recipient) are read for that role's fields only. Pure.
 */
export function planAccess(declared: DataMap, identities: RequestIdentities, facts?: PlanFacts): DsrPlan {
  const { dataMap, errors, warnings, sources } = applyFacts(declared, facts);
  const planIdentities = normaliseIdentities(dataMap, identities);
  const { systems, unreached, notes } = planSteps(dataMap, planIdentities);
  warnings.push(...identityFormatWarnings(dataMap, systems, planIdentities, facts?.phoneSamples));
  return {
    version: 1,
    kind: 'access',
    tenant: dataMap.tenant,
    identities: planIdentities,
    systems,
    unreached,
    errors,
    warnings,
    notes,
    facts: sources,
  };
}
