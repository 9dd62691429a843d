/**
 * Everything the web module uses from other modules, in this one file and only through their
 * api.ts: the privacy center and the console compose data subject requests and consent.
 */
export { loadRequest } from '../dsr/api.ts';
export { publicRequestView } from '../dsr/api.ts';
export { requestSummaryView } from '../dsr/api.ts';
export { executionInputOf } from '../dsr/api.ts';
export { planOf } from '../dsr/api.ts';
export { estimatePlanRows } from '../dsr/api.ts';
export { dsrKeyring } from '../dsr/api.ts';
export { identityRulesOf } from '../dsr/api.ts';
export { normaliseIdentities } from '../dsr/api.ts';
export { generateCode, hashCode, codeMatches } from '../dsr/api.ts';
export { sendRequesterMail } from '../dsr/api.ts';
export { REQUEST_STATES, CLOSED_STATES } from '../dsr/api.ts';
export { REQUEST_TYPES, REGIMES } from '../dsr/api.ts';
export { publicRequestViewSchema, requestSummarySchema } from '../dsr/api.ts';
export type { DsrPlan } from '../dsr/api.ts';
export type { RequestRow } from '../dsr/api.ts';

export { listNotices } from '../consent/api.ts';
export type { Notice } from '../consent/api.ts';
export { consentHistoryForSubject } from '../consent/api.ts';
export type { ConsentHistory } from '../consent/api.ts';
export { recordConsentChanges } from '../consent/api.ts';
export { hasGpcSignal, recordGpcOptOut } from '../consent/api.ts';
export { CCPA_PURPOSES } from '../consent/api.ts';
export { noticeSchema, historySchema } from '../consent/api.ts';
export type { DsrConfig } from '../dsr/api.ts';
export type { DsrDatabase } from '../dsr/api.ts';
export type { ConsentDatabase } from '../consent/api.ts';
export type { ConsentRuntime } from '../consent/api.ts';
export type { ConsentConfig } from '../consent/api.ts';
export type { ErasureRequestPort } from '../consent/api.ts';
export type { SubjectConsentPort } from '../dsr/api.ts';
export type { RetentionDatabase } from '../retention/api.ts';
