/**
 * The DSR planner: pure functions from a data map and a request's identities to a plain plan.
 * Nothing here opens a connection; `src/dsr/execution` runs the plans.
 */
export type * from './dsr-plan.ts';
export { planAccess } from './plan-access.ts';
export { planErasure, type ErasureScope } from './plan-erasure.ts';
export { planRectification } from './plan-rectification.ts';
export { normaliseIdentityValue, type RequestIdentities } from './normalise-identities.ts';
export type { PlanFacts, StoredPhoneSample } from './plan-facts.ts';
export { phoneCandidates, storedPhoneForm } from '../../../../platform/connectors/identity-values.ts';
