import type { Insertable, Transaction } from 'kysely';
import type { AuditEventInput } from '../../../../platform/audit/audit-event.ts';
import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import type { DsrRequestHistoryTable } from '../../store/dsr-tables.ts';
import { Conflict } from '../../../../kernel/errors/domain-error.ts';
import { publishEvent, type EventInput } from '../../../../platform/events/publish-event.ts';
import type { DsrServices } from '../../dsr-services.ts';
import type { RequestActor } from './request-actor.ts';
import { enqueueNotice } from './request-queues.ts';
import type { RequestRow } from './request-record.ts';
import { assertTransition, isClosed, type RequestState } from './request-states.ts';

export interface TransitionChange {
  actor: RequestActor;
  reason?: string;
  /** Extra columns changed together with the state (e.g. `verified_by`, `result`). */
  set?: Partial<Pick<RequestRow, 'verified_by' | 'outcome_reason'>> & { result?: string | null };
  /** Non-personal facts for the audit entry and the event. */
  details?: Record<string, unknown>;
  /** The subject reference for the audit entry, while plaintext identities exist. */
  subjectRef?: string;
  requestId?: string;
}

/**
 * The one way a request changes state: checks the transition, updates the row (guarded by the state
 * it was read in), appends history, records the audit entry and publishes `dsr.request.<state>`,
 * all in the caller's transaction. Closing a request asks for the closing notice to the requester,
 * whose job also minimises the personal data afterwards.
 */
export async function transitionRequest(
  services: DsrServices,
  trx: Transaction<DsrDatabase>,
  request: RequestRow,
  to: RequestState,
  change: TransitionChange,
): Promise<RequestRow> {
  assertTransition(request.id, request.state, to);
  const now = new Date();
  const closing = isClosed(to);
  const updated = await trx
    .updateTable('dsr_requests')
    .set({
      state: to,
      updated_at: now,
      ...(closing ? { closed_at: now } : {}),
      ...(closing && change.reason ? { outcome_reason: change.reason } : {}),
      ...change.set,
    })
    .where('tenant_id', '=', request.tenant_id)
    .where('id', '=', request.id)
    .where('state', '=', request.state)
    .returningAll()
    .executeTakeFirst();
  if (!updated) {
    throw new Conflict(
      'dsr.concurrent_change',
      `Request ${request.id} changed while this action ran. Reload it and try again.`,
      { requestId: request.id },
    );
  }
  const records = transitionRecords(request, to, change);
  await trx.insertInto('dsr_request_history').values(records.history).execute();
  await recordAuditEvent(trx, records.audit);
  await publishEvent(trx, records.event);
  if (closing)
    await enqueueNotice(services.jobs, trx, {
      tenantId: request.tenant_id,
      requestId: request.id,
      notice: 'closed',
    });
  return updated;
}

/** What a change of a request leaves besides its row: the history line, the audit entry, the event. */
export interface RequestChangeRecords {
  history: Insertable<DsrRequestHistoryTable>;
  audit: AuditEventInput;
  event: EventInput;
}

/**
 * The records of moving `request` (as it was read) to `to`, as `transitionRequest` writes them; a
 * request intake, which takes its first states in one statement, writes the same.
 */
export function transitionRecords(
  request: Pick<RequestRow, 'tenant_id' | 'id' | 'type' | 'regime' | 'state'>,
  to: RequestState,
  change: TransitionChange,
): RequestChangeRecords {
  const details = { type: request.type, regime: request.regime, from: request.state, to, ...change.details };
  return {
    history: historyRow(request, 'transition', request.state, to, change.actor, change.reason),
    audit: {
      tenantId: request.tenant_id,
      actor: change.actor,
      action: `dsr.request.${to}`,
      object: { type: 'dsr_request', id: request.id },
      outcome: 'success',
      ...(change.reason ? { reason: change.reason } : {}),
      ...(change.requestId ? { requestId: change.requestId } : {}),
      ...(change.subjectRef ? { subjectRef: change.subjectRef } : {}),
      details,
    },
    event: requestEvent(request, `dsr.request.${to}`, details),
  };
}

/** A history line; `from === to` for events that do not change the state (extension, codes). */
export async function appendHistory(
  trx: Transaction<DsrDatabase>,
  request: Pick<RequestRow, 'tenant_id' | 'id'>,
  event: string,
  from: RequestState | null,
  to: RequestState,
  actor: RequestActor,
  reason?: string,
): Promise<void> {
  await trx
    .insertInto('dsr_request_history')
    .values(historyRow(request, event, from, to, actor, reason))
    .execute();
}

export function historyRow(
  request: Pick<RequestRow, 'tenant_id' | 'id'>,
  event: string,
  from: RequestState | null,
  to: RequestState,
  actor: RequestActor,
  reason?: string,
): Insertable<DsrRequestHistoryTable> {
  return {
    tenant_id: request.tenant_id,
    request_id: request.id,
    event,
    from_state: from,
    to_state: to,
    actor_kind: actor.kind,
    actor_id: actor.id,
    reason: reason ?? null,
  };
}

/** Events carry ids, types and states only: receivers fetch details through the API. */
export async function publishRequestEvent(
  trx: Transaction<DsrDatabase>,
  request: Pick<RequestRow, 'tenant_id' | 'id'>,
  type: string,
  data: Record<string, unknown>,
): Promise<void> {
  await publishEvent(trx, requestEvent(request, type, data));
}

export function requestEvent(
  request: Pick<RequestRow, 'tenant_id' | 'id'>,
  type: string,
  data: Record<string, unknown>,
): EventInput {
  return {
    tenantId: request.tenant_id,
    type,
    source: 'dsr',
    topic: 'dsr.request',
    orderingKey: `dsr-request:${request.id}`,
    data: { requestId: request.id, ...data },
  };
}
