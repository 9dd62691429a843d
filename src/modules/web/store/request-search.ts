import type { WebDatabase } from './web-database.ts';
import type { RequestRow } from '../other-modules.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

/**
 * Requests naming an identity, by the keyed hash their intake stored (the value itself is never
 * compared in clear), newest first. Reads the dsr module's tables; it moves to its api.ts with it.
 */
export async function requestsByIdentityHash(
  db: DbHandle<WebDatabase>,
  tenantId: string,
  name: string,
  valueHash: string,
  limit: number,
): Promise<RequestRow[]> {
  return db
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
          .where('i.name', '=', name)
          .where('i.value_hash', '=', valueHash),
      ),
    )
    .orderBy('r.received_at', 'desc')
    .limit(limit)
    .execute();
}
