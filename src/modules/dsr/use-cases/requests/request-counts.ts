import type { DbHandle } from '../../../../kernel/database/db-handle.ts';
import type { DsrDatabase } from '../../store/dsr-database.ts';

/** A tenant's requests by deadline and state: counts only, never a row of personal data. */
export interface RequestCounts {
  open: number;
  overdue: number;
  dueThisWeek: number;
  awaitingApproval: number;
  awaitingVerification: number;
  inProgress: number;
  closedLast30Days: number;
}

/**
 * The tenant's open requests by deadline (overdue, due within seven days) and by the state they
 * wait in, and the requests closed in the last thirty days, as of `now`.
 */
export async function requestCountsByDeadline(
  db: DbHandle<DsrDatabase>,
  tenantId: string,
  now: Date,
): Promise<RequestCounts> {
  const week = new Date(now.getTime() + 7 * 24 * 3600_000);
  const month = new Date(now.getTime() - 30 * 24 * 3600_000);
  const row = await db
    .selectFrom('dsr_requests')
    .where('tenant_id', '=', tenantId)
    .select((eb) => [
      eb.fn.count<string>('id').filterWhere('closed_at', 'is', null).as('open'),
      eb.fn
        .count<string>('id')
        .filterWhere((f) => f.and([f('closed_at', 'is', null), f('due_at', '<', now)]))
        .as('overdue'),
      eb.fn
        .count<string>('id')
        .filterWhere((f) =>
          f.and([f('closed_at', 'is', null), f('due_at', '>=', now), f('due_at', '<', week)]),
        )
        .as('due_this_week'),
      eb.fn.count<string>('id').filterWhere('state', '=', 'awaiting_approval').as('awaiting_approval'),
      eb.fn
        .count<string>('id')
        .filterWhere('state', 'in', ['received', 'verifying'])
        .as('awaiting_verification'),
      eb.fn.count<string>('id').filterWhere('state', '=', 'in_progress').as('in_progress'),
      eb.fn.count<string>('id').filterWhere('closed_at', '>=', month).as('closed_last_30_days'),
    ])
    .executeTakeFirstOrThrow();
  return {
    open: Number(row.open),
    overdue: Number(row.overdue),
    dueThisWeek: Number(row.due_this_week),
    awaitingApproval: Number(row.awaiting_approval),
    awaitingVerification: Number(row.awaiting_verification),
    inProgress: Number(row.in_progress),
    closedLast30Days: Number(row.closed_last_30_days),
  };
}
