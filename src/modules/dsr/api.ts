/**
 * What other code may use of the DSR module: opening a request (for workflows such as the erasure a
 * consent withdrawal calls for), the port it needs from consent, and its services and tables types.
 */
export { submitRequest } from './use-cases/requests/submit-request.ts';
export type { SubjectConsentPort, ConsentChangeOrigin } from './ports/subject-consent-port.ts';
export type { DsrServices } from './dsr-services.ts';
export type { DsrDatabase } from './store/dsr-database.ts';
export type { DsrConfig } from './config-schema.ts';
export { loadRequest } from './use-cases/requests/request-record.ts';
export { publicView as publicRequestView } from './use-cases/requests/request-views.ts';
export { summaryView as requestSummaryView } from './use-cases/requests/request-views.ts';
export { executionInputOf } from './use-cases/requests/request-execution-input.ts';
export { planOf } from './use-cases/requests/step-handlers.ts';
export { estimatePlanRows } from './use-cases/execution/estimate-plan-rows.ts';
export { dsrKeyring } from './use-cases/requests/dsr-keyring.ts';
export { identityRulesOf } from './use-cases/requests/identity-rules.ts';
export { normaliseIdentities } from './use-cases/requests/subject-identities.ts';
export { generateCode, hashCode, codeMatches } from './use-cases/verification/one-time-code.ts';
export { sendRequesterMail } from './use-cases/verification/mail-transport.ts';
// The local outbox of requester mail (the demo without a mail server): `steward demo mail`, the console.
export { listOutboxMail, type OutboxMail } from './use-cases/verification/mail-outbox.ts';
export { REQUEST_STATES, CLOSED_STATES } from './use-cases/requests/request-states.ts';
export { REQUEST_TYPES, REGIMES } from './use-cases/requests/request-types.ts';
export {
  publicRequestView as publicRequestViewSchema,
  requestSummary as requestSummarySchema,
} from './http/request-api-schemas.ts';
export type { DsrPlan } from './core/planning/dsr-plan.ts';
export type { RequestRow } from './use-cases/requests/request-record.ts';
export { requestCountsByDeadline, type RequestCounts } from './use-cases/requests/request-counts.ts';
export {
  searchRequestsByIdentity,
  type RequestSearcher,
} from './use-cases/requests/search-requests-by-identity.ts';
export { currentPlanOf, type RequestPlanRead } from './use-cases/requests/request-plan.ts';
