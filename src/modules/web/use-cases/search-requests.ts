import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { WebServices } from '../web-services.ts';
import { dsrKeyring, identityRulesOf, normaliseIdentities, requestSummaryView } from '../other-modules.ts';
import { requestsByIdentityHash } from '../store/request-search.ts';

const MAX_RESULTS = 100;

/**
 * The requests of one data subject, found by an identity as the agent types it (normalised the way
 * intake normalised it, so `Ana@Example.com` finds `ana@example.com`). Looking a person up is
 * processing their data: the search is audited with the identity as the subject reference.
 */
export async function searchRequestsByIdentity(
  services: Pick<WebServices, 'database' | 'config' | 'dataMaps'>,
  searcher: {
    tenantId: string;
    actor: { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string };
    httpRequestId?: string;
  },
  identity: { name: string; value: string },
) {
  const normalised = normaliseIdentities(
    { [identity.name]: identity.value },
    identityRulesOf(services, searcher.tenantId),
  )[identity.name]!;
  const hash = dsrKeyring(services.config.dsr).lookupHash(searcher.tenantId, identity.name, normalised);
  const rows = await requestsByIdentityHash(
    services.database.db,
    searcher.tenantId,
    identity.name,
    hash,
    MAX_RESULTS,
  );
  await recordAuditEvent(services.database.db, {
    tenantId: searcher.tenantId,
    actor: searcher.actor,
    action: 'dsr.request.searched',
    object: { type: 'dsr_request', id: 'search' },
    outcome: 'success',
    subjectRef: normalised,
    ...(searcher.httpRequestId ? { requestId: searcher.httpRequestId } : {}),
    details: { identity: identity.name, results: rows.length },
  });
  const now = new Date();
  return rows.map((row) => requestSummaryView(row, now));
}
