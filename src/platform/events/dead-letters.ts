import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { EventsDatabase } from './store/events-database.ts';
import { NotFound } from '../../kernel/errors/domain-error.ts';
import type { ChangeActor } from './webhook-store.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/** A delivery that kept failing for the whole retry window. */
export interface DeadLetter {
  deliveryId: string;
  eventId: string;
  eventType: string;
  destination: string;
  attempts: number;
  lastError: string | null;
  eventTime: string;
  deadSince: string;
}

/** The tenant's dead-letter list, oldest first. */
export async function listDeadLetters(
  db: DbHandle<EventsDatabase>,
  tenantId: string,
  options: { limit?: number } = {},
): Promise<DeadLetter[]> {
  const rows = await db
    .selectFrom('event_deliveries as d')
    .innerJoin('event_outbox as o', 'o.id', 'd.event_id')
    .select([
      'd.id',
      'd.event_id',
      'o.type',
      'd.destination',
      'd.attempts',
      'd.last_error',
      'o.occurred_at',
      'd.next_attempt_at',
    ])
    .where('d.tenant_id', '=', tenantId)
    .where('d.status', '=', 'dead')
    .orderBy('d.created_at')
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((row) => ({
    deliveryId: row.id,
    eventId: row.event_id,
    eventType: row.type,
    destination: row.destination,
    attempts: row.attempts,
    lastError: row.last_error,
    eventTime: row.occurred_at.toISOString(),
    deadSince: row.next_attempt_at.toISOString(),
  }));
}

/**
 * Puts dead-lettered deliveries back in the queue with a fresh retry window (all of the tenant's,
 * or the given ones). Later events of the same subject may already have been delivered: replay is
 * out of order by nature, and receivers de-duplicate on the event id.
 */
export async function replayDeadLetters(
  db: DbHandle<EventsDatabase>,
  actor: ChangeActor,
  retryForHours: number,
  deliveryIds?: string[],
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .updateTable('event_deliveries')
      .set({
        status: 'pending',
        next_attempt_at: new Date(),
        give_up_at: new Date(Date.now() + retryForHours * 3_600_000),
        attempts: 0,
        leased_until: null,
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('status', '=', 'dead');
    if (deliveryIds) query = query.where('id', 'in', deliveryIds.length > 0 ? deliveryIds : ['']);
    const result = await query.executeTakeFirst();
    const replayed = Number(result.numUpdatedRows);
    if (deliveryIds?.length === 1 && replayed === 0) {
      throw new NotFound(
        'events.dead_letter_not_found',
        `No dead-lettered delivery ${deliveryIds[0]} in this tenant. List them with GET /v1/events/dead-letters.`,
      );
    }
    await recordAuditEvent(trx, {
      tenantId: actor.tenantId,
      actor: { kind: actor.kind, id: actor.id },
      action: 'events.dead_letters.replayed',
      object: { type: 'event_deliveries', id: deliveryIds?.length === 1 ? deliveryIds[0]! : 'dead-letters' },
      outcome: 'success',
      details: { replayed },
    });
    return replayed;
  });
}
