import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import { Conflict } from '../../../../kernel/errors/domain-error.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { extendDeadline } from '../../core/deadlines/regime-deadlines.ts';
import type { DecisionContext } from './request-decisions.ts';
import { requireReason } from './request-decisions.ts';
import { enqueueNotice } from './request-queues.ts';
import { lockRequest, type RequestRow } from './request-record.ts';
import { isClosed } from './request-states.ts';
import { appendHistory, publishRequestEvent } from './request-transition.ts';

/**
 * Extends the deadline with a stated reason (GDPR Art. 12(3): by up to two further months, "taking
 * into account the complexity and number of the requests"; CCPA §1798.130(a)(2)(A): once by 45
 * days). The requester is told the new date and the reason.
 */
export async function extendRequest(
  services: DsrServices,
  id: string,
  context: DecisionContext,
  input: { reason: string; months?: number },
): Promise<RequestRow> {
  requireReason(input.reason, 'extend');
  return services.database.db.transaction().execute(async (trx) => {
    const request = await lockRequest(trx, context.tenantId, id);
    if (isClosed(request.state)) {
      throw new Conflict(
        'dsr.closed',
        `Request ${id} is ${request.state}; a closed request has no deadline to extend.`,
        { requestId: id, state: request.state },
      );
    }
    const extension = extendDeadline({
      regime: request.regime,
      receivedAt: request.received_at,
      dueAt: request.due_at,
      extendedSoFar: request.extension_amount,
      ...(input.months !== undefined ? { months: input.months } : {}),
      now: new Date(),
    });
    const updated = await trx
      .updateTable('dsr_requests')
      .set({
        due_at: extension.dueAt,
        extension_amount: extension.extendedTotal,
        extension_reason: input.reason.trim(),
        updated_at: new Date(),
      })
      .where('tenant_id', '=', context.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendHistory(
      trx,
      request,
      'extended',
      request.state,
      request.state,
      context.actor,
      input.reason.trim(),
    );
    const details = {
      previousDueAt: request.due_at.toISOString(),
      dueAt: extension.dueAt.toISOString(),
      extendedTotal: extension.extendedTotal,
      unit: request.regime === 'gdpr' ? 'months' : 'days',
    };
    await recordAuditEvent(trx, {
      tenantId: context.tenantId,
      actor: context.actor,
      action: 'dsr.request.extended',
      object: { type: 'dsr_request', id },
      outcome: 'success',
      reason: input.reason.trim(),
      ...(context.requestId ? { requestId: context.requestId } : {}),
      details,
    });
    await publishRequestEvent(trx, request, 'dsr.request.extended', details);
    await enqueueNotice(
      services.jobs,
      trx,
      { tenantId: context.tenantId, requestId: id, notice: 'extension' },
      extension.extendedTotal,
    );
    return updated;
  });
}
