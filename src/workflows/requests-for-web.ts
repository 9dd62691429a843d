import {
  currentPlanOf,
  dsrKeyring,
  loadRequest,
  publicRequestView,
  requestCountsByDeadline,
  searchRequestsByIdentity,
  sendRequesterMail,
  type DsrServices,
} from '../modules/dsr/api.ts';
import type { RequesterMailPort, SubjectRequestsPort } from '../modules/web/api.ts';

/**
 * The console's and the privacy center's reads of data subject requests, met by the DSR module on
 * its own tables: dashboard counts, search by identity (audited there), a request's public status
 * and its current plan.
 */
export function subjectRequestsForWeb(dsr: () => DsrServices): SubjectRequestsPort {
  return {
    countsByDeadline: (tenantId, now) => requestCountsByDeadline(dsr().database.db, tenantId, now),
    searchByIdentity: (searcher, identity) => searchRequestsByIdentity(dsr(), searcher, identity),
    async publicStatus(tenantId, requestId) {
      return publicRequestView(await loadRequest(dsr().database.db, tenantId, requestId));
    },
    currentPlan: (tenantId, requestId, options) => currentPlanOf(dsr(), tenantId, requestId, options),
  };
}

/**
 * The privacy center's sign-in codes, mailed through the DSR module's channel (SMTP, or its outbox
 * on the demo), and its addresses keyed under the DSR key as request identities are.
 */
export function requesterMailForWeb(dsr: () => DsrServices): RequesterMailPort {
  return {
    send: (mail) => sendRequesterMail(dsr(), mail),
    keyedHash: (tenantId, namespace, normalisedValue) =>
      dsrKeyring(dsr().config.dsr).lookupHash(tenantId, namespace, normalisedValue),
  };
}
