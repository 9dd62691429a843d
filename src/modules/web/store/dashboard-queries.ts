import { sql } from 'kysely';
import type { WebDatabase } from './web-database.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

/**
 * The console dashboard's figures: counts and ages only, never a row of personal data. These read
 * other modules' tables (requests, consent, retention, audit, events); each query belongs in its
 * module's api.ts once those exist, and moves there unchanged.
 */

export async function requestCounts(db: DbHandle<WebDatabase>, tenantId: string, now: Date) {
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

/** Current states per purpose, and per day of the last `days` the decisions recorded. */
export async function consentRates(db: DbHandle<WebDatabase>, tenantId: string, now: Date, days: number) {
  const since = new Date(now.getTime() - days * 24 * 3600_000);
  const [states, daily] = await Promise.all([
    db
      .selectFrom('consent_state')
      .where('tenant_id', '=', tenantId)
      .select(['purpose', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['purpose', 'status'])
      .execute(),
    db
      .selectFrom('consent_ledger')
      .where('tenant_id', '=', tenantId)
      .where('occurred_at', '>=', since)
      .where('action', 'in', ['given', 'renewed', 'withdrawn'])
      .select([
        'purpose',
        sql<string>`to_char(date_trunc('day', occurred_at at time zone 'UTC'), 'YYYY-MM-DD')`.as('day'),
        (eb) => eb.fn.count<string>('id').filterWhere('action', 'in', ['given', 'renewed']).as('given'),
        (eb) => eb.fn.count<string>('id').filterWhere('action', '=', 'withdrawn').as('withdrawn'),
      ])
      .groupBy(['purpose', 'day'])
      .orderBy('day')
      .execute(),
  ]);
  const purposes = new Map<
    string,
    {
      purpose: string;
      given: number;
      withdrawn: number;
      expired: number;
      daily: { day: string; given: number; withdrawn: number }[];
    }
  >();
  const entry = (purpose: string) => {
    let found = purposes.get(purpose);
    if (!found) purposes.set(purpose, (found = { purpose, given: 0, withdrawn: 0, expired: 0, daily: [] }));
    return found;
  };
  for (const state of states) entry(state.purpose)[state.status] = Number(state.n);
  for (const day of daily)
    entry(day.purpose).daily.push({
      day: day.day,
      given: Number(day.given),
      withdrawn: Number(day.withdrawn),
    });
  return [...purposes.values()].sort((a, b) => a.purpose.localeCompare(b.purpose));
}

export async function recentRetentionRuns(
  db: DbHandle<WebDatabase>,
  tenantId: string,
  now: Date,
  limit: number,
) {
  const month = new Date(now.getTime() - 30 * 24 * 3600_000);
  const [runs, swept] = await Promise.all([
    db
      .selectFrom('retention_runs')
      .where('tenant_id', '=', tenantId)
      .select([
        'id',
        'state',
        'dry_run',
        'trigger',
        'rows_done',
        'rows_estimated',
        'created_at',
        'finished_at',
      ])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('retention_runs')
      .where('tenant_id', '=', tenantId)
      .where('dry_run', '=', false)
      .where('created_at', '>=', month)
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('rows_done'), sql<string>`0`).as('rows'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rowsSweptLast30Days: Number(swept.rows),
    runs: runs.map((run) => ({
      id: run.id,
      state: run.state,
      dryRun: run.dry_run,
      trigger: run.trigger,
      rowsDone: Number(run.rows_done),
      rowsEstimated: Number(run.rows_estimated),
      createdAt: run.created_at.toISOString(),
      finishedAt: run.finished_at?.toISOString() ?? null,
    })),
  };
}

export async function auditLogStatus(db: DbHandle<WebDatabase>, tenantId: string, now: Date) {
  const [tree, pending, checkpoint] = await Promise.all([
    db
      .selectFrom('audit_tree_state')
      .select('tree_size')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst(),
    db
      .selectFrom('audit_pending')
      .where('tenant_id', '=', tenantId)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('audit_checkpoints')
      .select(['tree_size', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    entries: tree?.tree_size ?? 0,
    pending: Number(pending.n),
    lastCheckpoint: checkpoint
      ? {
          treeSize: checkpoint.tree_size,
          createdAt: checkpoint.created_at.toISOString(),
          ageSeconds: Math.max(0, Math.round((now.getTime() - checkpoint.created_at.getTime()) / 1000)),
        }
      : null,
  };
}

export async function eventDeliveryStatus(db: DbHandle<WebDatabase>, tenantId: string, now: Date) {
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
