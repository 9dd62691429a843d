/**
 * Everything the web module uses from other modules, in this one file: the privacy center and the
 * console compose data subject requests and consent, and a module does not reach into another.
 * When those modules publish their api.ts, these imports move there and nothing else changes.
 */
export { loadRequest } from '../dsr/use-cases/requests/request-record.ts';
export { publicView as publicRequestView } from '../dsr/use-cases/requests/request-views.ts';
export { summaryView as requestSummaryView } from '../dsr/use-cases/requests/request-views.ts';
export { executionInputOf } from '../dsr/use-cases/requests/request-execution-input.ts';
export { planOf } from '../dsr/use-cases/requests/step-handlers.ts';
export { estimatePlanRows } from '../dsr/use-cases/execution/estimate-plan-rows.ts';
export { dsrKeyring } from '../dsr/use-cases/requests/dsr-keyring.ts';
export { identityRulesOf } from '../dsr/use-cases/requests/identity-rules.ts';
export { normaliseIdentities } from '../dsr/use-cases/requests/subject-identities.ts';
export { generateCode, hashCode, codeMatches } from '../dsr/use-cases/verification/one-time-code.ts';
export { sendRequesterMail } from '../dsr/use-cases/verification/mail-transport.ts';
export { REQUEST_STATES, CLOSED_STATES } from '../dsr/use-cases/requests/request-states.ts';
export { REQUEST_TYPES, REGIMES } from '../dsr/use-cases/requests/request-types.ts';
export {
  publicRequestView as publicRequestViewSchema,
  requestSummary as requestSummarySchema,
} from '../dsr/http/request-api-schemas.ts';
export type { DsrPlan } from '../dsr/core/planning/dsr-plan.ts';
export type { RequestRow } from '../dsr/use-cases/requests/request-record.ts';

export { listNotices } from '../consent/use-cases/notices.ts';
export type { Notice } from '../consent/use-cases/notices.ts';
export { consentHistoryForSubject } from '../consent/use-cases/consent-history.ts';
export type { ConsentHistory } from '../consent/use-cases/consent-history.ts';
export { recordConsentChanges } from '../consent/use-cases/record-consent.ts';
export { hasGpcSignal, recordGpcOptOut } from '../consent/use-cases/gpc-signal.ts';
export { CCPA_PURPOSES } from '../consent/core/consent-purposes.ts';
export { noticeSchema, historySchema } from '../consent/http/consent-route-schemas.ts';
