import type { DbHandle } from '../../kernel/database/db-handle.ts';
import type { EventsTables } from './store/events-tables.ts';

/** How delivery of the tenant's events stands: deliveries waiting, dead letters, and how late the oldest waiting one is. */
export interface EventDeliveryStatus {
  pending: number;
  deadLetters: number;
  lagSeconds: number;
}

/** The tenant's event deliveries as of `now`; the lag is the age of the oldest pending delivery (0 when none waits). */
export async function eventDeliveryStatus(
  db: DbHandle<EventsTables>,
  tenantId: string,
  now: Date,
): Promise<EventDeliveryStatus> {
  const row = await db
    .selectFrom('event_deliveries')
    .where('tenant_id', '=', tenantId)
    .select((eb) => [
      eb.fn.count<string>('id').filterWhere('status', '=', 'pending').as('pending'),
      eb.fn.count<string>('id').filterWhere('status', '=', 'dead').as('dead'),
      eb.fn.min('created_at').filterWhere('status', '=', 'pending').as('oldest_pending'),
    ])
    .executeTakeFirstOrThrow();
  const oldest = row.oldest_pending ? new Date(row.oldest_pending as Date | string) : null;
  return {
    pending: Number(row.pending),
    deadLetters: Number(row.dead),
    lagSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0,
  };
}
