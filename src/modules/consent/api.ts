/**
 * What other code may use of the consent module: the demo's consent seed, the subject's consent
 * history (for the access package), the GPC opt-out at request intake, and the runtime type.
 */
export { seedDemoSystemConsents, seedDemoConsents } from './use-cases/seed-demo-consents.ts';
export type { ConsentRuntime } from './use-cases/consent-runtime.ts';
export type { ConsentServices } from './consent-services.ts';
export type { ConsentDatabase } from './store/consent-database.ts';
export { hasGpcSignal, recordGpcOptOut, recordGpcOptOutForIdentities } from './use-cases/gpc-signal.ts';
export { invalidateSubjects, recordConsentChanges } from './use-cases/record-consent.ts';
export {
  consentHistoriesOf,
  consentHistoryForSubject,
  type ConsentHistory,
} from './use-cases/consent-history.ts';
export { CCPA_PURPOSES } from './core/consent-purposes.ts';
export type { ErasureRequestPort } from './ports/erasure-request-port.ts';
export { WITHDRAWAL_ERASURE_QUEUE } from './use-cases/withdrawal-erasure.ts';
export { listNotices, type Notice } from './use-cases/notices.ts';
export { noticeSchema, historySchema } from './http/consent-route-schemas.ts';
export type { ConsentConfig } from './config-schema.ts';
export { consentRatesByPurpose, type PurposeConsentRate } from './use-cases/consent-rates.ts';
