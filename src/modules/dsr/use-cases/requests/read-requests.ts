import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type {
  DsrPackagesTable,
  DsrRequestHistoryTable,
  DsrRequestStepsTable,
} from '../../store/dsr-tables.ts';
import type { Selectable } from 'kysely';
import { dsrKeyring } from './dsr-keyring.ts';
import type { RequestActor } from './request-actor.ts';
import { loadRequest, type DbOrTrx, type RequestRow } from './request-record.ts';
import type { RequestState } from './request-states.ts';
import type { Regime, RequestType } from './request-types.ts';
import { correctionsContext, decryptIdentities } from './subject-reference.ts';

export interface RequestFilters {
  state?: RequestState[];
  type?: RequestType[];
  regime?: Regime;
  /** Open requests whose deadline has passed. */
  overdue?: boolean;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

/** A page of requests, newest first. No personal data: list views never decrypt anything. */
export async function listRequests(
  db: DbOrTrx,
  tenantId: string,
  filters: RequestFilters,
): Promise<{ items: RequestRow[]; nextCursor: string | null }> {
  let query = db.selectFrom('dsr_requests').selectAll().where('tenant_id', '=', tenantId);
  if (filters.state?.length) query = query.where('state', 'in', filters.state);
  if (filters.type?.length) query = query.where('type', 'in', filters.type);
  if (filters.regime) query = query.where('regime', '=', filters.regime);
  if (filters.overdue === true) query = query.where('closed_at', 'is', null).where('due_at', '<', new Date());
  if (filters.overdue === false)
    query = query.where((eb) => eb.or([eb('closed_at', 'is not', null), eb('due_at', '>=', new Date())]));
  if (filters.cursor) {
    const { receivedAt, id } = decodeCursor(filters.cursor);
    query = query.where((eb) =>
      eb.or([
        eb('received_at', '<', receivedAt),
        eb.and([eb('received_at', '=', receivedAt), eb('id', '<', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filters.limit + 1)
    .execute();
  const items = rows.slice(0, filters.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > filters.limit && last ? encodeCursor(last) : null };
}

function encodeCursor(row: RequestRow): string {
  return Buffer.from(JSON.stringify([row.received_at.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  try {
    const [receivedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    const date = new Date(receivedAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new TypeError('bad cursor');
    return { receivedAt: date, id };
  } catch {
    throw new InvalidInput(
      'dsr.bad_cursor',
      'The cursor is not one this API returned. Start again without it.',
    );
  }
}

export interface RequestDetail {
  request: RequestRow;
  /** Plaintext while the request is open; null once minimised. */
  identities: { name: string; value: string | null }[];
  corrections: unknown[] | null;
  history: Selectable<DsrRequestHistoryTable>[];
  steps: Selectable<DsrRequestStepsTable>[];
  package: Selectable<DsrPackagesTable> | null;
}

/**
 * Everything about one request, including its identities while it is open. Showing them is a read
 * of personal data, so it is audited (`dsr.request.viewed`).
 */
export async function readRequestDetail(
  services: DsrServices,
  tenantId: string,
  id: string,
  actor: RequestActor,
  httpRequestId?: string,
): Promise<RequestDetail> {
  const { db } = services.database;
  const keyring = dsrKeyring(services.config.dsr);
  const request = await loadRequest(db, tenantId, id);
  const [identityRows, plaintext, history, steps, pkg] = await Promise.all([
    db
      .selectFrom('dsr_request_identities')
      .select('name')
      .where('tenant_id', '=', tenantId)
      .where('request_id', '=', id)
      .orderBy('name')
      .execute(),
    decryptIdentities(db, keyring, tenantId, id),
    db
      .selectFrom('dsr_request_history')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('request_id', '=', id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('dsr_request_steps')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('request_id', '=', id)
      .orderBy('seq')
      .orderBy('step')
      .execute(),
    db
      .selectFrom('dsr_packages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('request_id', '=', id)
      .executeTakeFirst(),
  ]);
  const corrections = request.corrections_ciphertext
    ? (JSON.parse(keyring.decryptText(request.corrections_ciphertext, correctionsContext(id))) as unknown[])
    : null;
  const revealed = Object.keys(plaintext).length > 0 || corrections !== null;
  if (revealed) {
    await db.transaction().execute((trx) =>
      recordAuditEvent(trx, {
        tenantId,
        actor,
        action: 'dsr.request.viewed',
        object: { type: 'dsr_request', id },
        outcome: 'success',
        ...(httpRequestId ? { requestId: httpRequestId } : {}),
        details: { identities: Object.keys(plaintext) },
      }),
    );
  }
  return {
    request,
    identities: identityRows.map((row) => ({ name: row.name, value: plaintext[row.name] ?? null })),
    corrections,
    history,
    steps,
    package: pkg ?? null,
  };
}
