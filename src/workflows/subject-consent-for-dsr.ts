import type { Transaction } from 'kysely';
import {
  CCPA_PURPOSES,
  consentHistoriesOf,
  hasGpcSignal,
  invalidateSubjects,
  recordConsentChanges,
  recordGpcOptOutForIdentities,
  type ConsentDatabase,
  type ConsentServices,
} from '../modules/consent/api.ts';
import type { SubjectConsentPort } from '../modules/dsr/api.ts';

/**
 * The DSR module's consent needs, met by the consent module: GPC on a privacy-center request, a
 * CCPA opt-out request recorded in the ledger in the request step's own transaction, and the
 * subject's consent history in the access package (GDPR Art. 15).
 */
export function subjectConsentForDsr(consent: () => ConsentServices): SubjectConsentPort {
  return {
    hasGpcSignal,
    optOutPurpose: CCPA_PURPOSES.saleAndSharing,
    async recordGpcOptOut(origin, identities, proof) {
      await recordGpcOptOutForIdentities(consent(), origin, identities, proof);
    },
    async recordOptOut(trx, origin, subjects, source) {
      // One database holds both modules' tables: the step's transaction is the ledger's too.
      const within = trx as unknown as Transaction<ConsentDatabase>;
      await recordConsentChanges(
        consent(),
        origin,
        subjects.map((subject) => ({
          subject,
          purpose: CCPA_PURPOSES.saleAndSharing,
          action: 'withdrawn' as const,
          source,
        })),
        { within },
      );
    },
    forgetCachedAnswers(tenantId, subjects) {
      invalidateSubjects(consent(), tenantId, [...subjects]);
    },
    historiesOf(tenantId, identityValues) {
      return consentHistoriesOf(consent().database.db, tenantId, [...identityValues]);
    },
  };
}
