import type { Selectable, Transaction } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import { NotFound } from '../../../../kernel/errors/domain-error.ts';
import type { DsrRequestsTable } from '../../store/dsr-tables.ts';
import type { DbHandle } from '../../../../kernel/database/db-handle.ts';

export type RequestRow = Selectable<DsrRequestsTable>;
export type DbOrTrx = DbHandle<DsrDatabase>;

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function notFound(requestId: string): NotFound {
  return new NotFound(
    'dsr.not_found',
    `There is no request ${requestId} in this tenant. Check the id (GET /v1/requests lists them).`,
    { requestId },
  );
}

/** The request, locked until the transaction ends so that concurrent changes serialise. */
export async function lockRequest(
  trx: Transaction<DsrDatabase>,
  tenantId: string,
  requestId: string,
): Promise<RequestRow> {
  if (!REQUEST_ID.test(requestId)) throw notFound(requestId);
  const row = await trx
    .selectFrom('dsr_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound(requestId);
  return row;
}

export async function loadRequest(db: DbOrTrx, tenantId: string, requestId: string): Promise<RequestRow> {
  if (!REQUEST_ID.test(requestId)) throw notFound(requestId);
  const row = await db
    .selectFrom('dsr_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', requestId)
    .executeTakeFirst();
  if (!row) throw notFound(requestId);
  return row;
}
