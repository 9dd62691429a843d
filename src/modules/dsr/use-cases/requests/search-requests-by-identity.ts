import type { z } from 'zod';
import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type { requestSummary } from '../../http/request-api-schemas.ts';
import { dsrKeyring } from './dsr-keyring.ts';
import { identityRulesOf } from './identity-rules.ts';
import type { RequestRow } from './request-record.ts';
import { summaryView } from './request-views.ts';
import { normaliseIdentities } from './subject-identities.ts';

/** The most requests one search returns. */
export const MAX_SEARCH_RESULTS = 100;

/** Who searches: the tenant, the person or key, and the HTTP request for the audit trail. */
export interface RequestSearcher {
  tenantId: string;
  actor: { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string };
  httpRequestId?: string;
}

/**
 * The requests of one data subject, newest first, found by an identity as the agent types it
 * (normalised the way intake normalised it, so `Ana@Example.com` finds `ana@example.com`) through
 * the keyed hash intake stored: the value itself is never compared in clear. Looking a person up is
 * processing their data, so the search is audited with the identity as the subject reference.
 */
export async function searchRequestsByIdentity(
  services: Pick<DsrServices, 'database' | 'config' | 'dataMaps'>,
  searcher: RequestSearcher,
  identity: { name: string; value: string },
): Promise<z.infer<typeof requestSummary>[]> {
  const { tenantId } = searcher;
  const normalised = normaliseIdentities(
    { [identity.name]: identity.value },
    identityRulesOf(services, tenantId),
  )[identity.name]!;
  const hash = dsrKeyring(services.config.dsr).lookupHash(tenantId, identity.name, normalised);
  const rows: RequestRow[] = await services.database.db
    .selectFrom('dsr_requests as r')
    .selectAll('r')
    .where('r.tenant_id', '=', tenantId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('dsr_request_identities as i')
          .select('i.request_id')
          .whereRef('i.request_id', '=', 'r.id')
          .where('i.tenant_id', '=', tenantId)
          .where('i.name', '=', identity.name)
          .where('i.value_hash', '=', hash),
      ),
    )
    .orderBy('r.received_at', 'desc')
    .limit(MAX_SEARCH_RESULTS)
    .execute();
  await recordAuditEvent(services.database.db, {
    tenantId,
    actor: searcher.actor,
    action: 'dsr.request.searched',
    object: { type: 'dsr_request', id: 'search' },
    outcome: 'success',
    subjectRef: normalised,
    ...(searcher.httpRequestId ? { requestId: searcher.httpRequestId } : {}),
    details: { identity: identity.name, results: rows.length },
  });
  const now = new Date();
  return rows.map((row) => summaryView(row, now));
}
