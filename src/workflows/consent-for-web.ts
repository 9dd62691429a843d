import {
  consentHistoryForSubject,
  consentRatesByPurpose,
  listNotices,
  recordConsentChanges,
  recordGpcOptOut,
  type ConsentServices,
} from '../modules/consent/api.ts';
import type { ConsentLedgerPort } from '../modules/web/api.ts';

/**
 * The privacy center's and the console's consent needs, met by the consent module: notices, a
 * visitor's history and decisions (recorded as made on the web), the GPC opt-out, and the
 * dashboard's rates per purpose.
 */
export function consentLedgerForWeb(consent: () => ConsentServices): ConsentLedgerPort {
  return {
    notices: (tenantId) => listNotices(consent().database.db, tenantId),
    historyOf: (tenantId, subject) => consentHistoryForSubject(consent().database.db, tenantId, subject),
    async recordDecisions(origin, decisions) {
      await recordConsentChanges(
        consent(),
        origin,
        decisions.map((decision) => ({ ...decision, source: 'web' as const })),
      );
    },
    async recordGpcOptOut(origin, subject, proof) {
      return (await recordGpcOptOut(consent(), origin, subject, proof)) !== undefined;
    },
    ratesByPurpose: (tenantId, now, days) =>
      consentRatesByPurpose(consent().database.db, tenantId, now, days),
  };
}
