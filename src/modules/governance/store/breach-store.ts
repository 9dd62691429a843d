import { sql } from 'kysely';
import type { BreachNotification, BreachRecord, BreachTimelineEntry } from '../core/breach-record.ts';
import type { GovernanceDb } from './governance-db.ts';

/** The facts kept in `details`: everything of a BreachRecord that has no column or table of its own. */
type BreachDetails = Omit<
  BreachRecord,
  | 'id'
  | 'tenantId'
  | 'title'
  | 'state'
  | 'awareAt'
  | 'closedAt'
  | 'notifications'
  | 'timeline'
  | 'remindersSent'
  | 'createdAt'
  | 'updatedAt'
>;

function detailsOf(breach: BreachRecord): BreachDetails {
  const {
    id,
    tenantId,
    title,
    state,
    awareAt,
    closedAt,
    notifications,
    timeline,
    remindersSent,
    createdAt,
    updatedAt,
    ...details
  } = breach;
  void [
    id,
    tenantId,
    title,
    state,
    awareAt,
    closedAt,
    notifications,
    timeline,
    remindersSent,
    createdAt,
    updatedAt,
  ];
  return details;
}

export async function insertBreach(db: GovernanceDb, breach: BreachRecord): Promise<void> {
  await db
    .insertInto('governance_breaches')
    .values({
      tenant_id: breach.tenantId,
      id: breach.id,
      title: breach.title,
      state: breach.state,
      aware_at: breach.awareAt,
      details: JSON.stringify(detailsOf(breach)),
      closed_at: breach.closedAt ?? null,
      created_at: breach.createdAt,
      updated_at: breach.updatedAt,
    })
    .execute();
}

/** Saves the breach's own fields (not its timeline, notifications or reminders, which are appended). */
export async function updateBreach(db: GovernanceDb, breach: BreachRecord): Promise<void> {
  await db
    .updateTable('governance_breaches')
    .set({
      title: breach.title,
      state: breach.state,
      aware_at: breach.awareAt,
      details: JSON.stringify(detailsOf(breach)),
      closed_at: breach.closedAt ?? null,
      updated_at: breach.updatedAt,
    })
    .where('tenant_id', '=', breach.tenantId)
    .where('id', '=', breach.id)
    .execute();
}

/** Locks the breach row until the transaction ends, so concurrent updates apply one after the other. */
export async function lockBreach(db: GovernanceDb, tenantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('governance_breaches')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function readBreach(
  db: GovernanceDb,
  tenantId: string,
  id: string,
): Promise<BreachRecord | undefined> {
  const row = await db
    .selectFrom('governance_breaches')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const [events, notifications, reminders] = await Promise.all([
    db
      .selectFrom('governance_breach_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('breach_id', '=', id)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('governance_breach_notifications')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('breach_id', '=', id)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('governance_breach_reminders')
      .select('hours_left')
      .where('tenant_id', '=', tenantId)
      .where('breach_id', '=', id)
      .execute(),
  ]);
  return {
    ...(row.details as BreachDetails),
    id: row.id,
    tenantId: row.tenant_id,
    title: row.title,
    state: row.state,
    awareAt: row.aware_at.toISOString(),
    ...(row.closed_at ? { closedAt: row.closed_at.toISOString() } : {}),
    timeline: events.map((e): BreachTimelineEntry => ({
      at: e.at.toISOString(),
      kind: e.kind as BreachTimelineEntry['kind'],
      note: e.note,
      ...(e.actor ? { by: e.actor } : {}),
    })),
    notifications: notifications.map((n): BreachNotification => ({
      audience: n.audience,
      phase: n.phase,
      sentAt: n.sent_at.toISOString(),
      ...(n.reference ? { reference: n.reference } : {}),
      summary: n.summary,
    })),
    remindersSent: reminders.map((r) => r.hours_left).sort((a, b) => b - a),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface BreachListItem {
  id: string;
  title: string;
  state: 'open' | 'closed';
  awareAt: string;
}

export async function listBreaches(
  db: GovernanceDb,
  tenantId: string,
  state?: 'open' | 'closed',
): Promise<BreachListItem[]> {
  let query = db
    .selectFrom('governance_breaches')
    .select(['id', 'title', 'state', 'aware_at'])
    .where('tenant_id', '=', tenantId);
  if (state) query = query.where('state', '=', state);
  const rows = await query.orderBy('aware_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, title: r.title, state: r.state, awareAt: r.aware_at.toISOString() }));
}

/** Open breaches of every tenant, for the reminder job. */
export async function listOpenBreaches(db: GovernanceDb): Promise<{ tenantId: string; id: string }[]> {
  const rows = await db
    .selectFrom('governance_breaches')
    .select(['tenant_id', 'id'])
    .where('state', '=', 'open')
    .orderBy('aware_at')
    .execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));
}

export async function appendTimeline(
  db: GovernanceDb,
  tenantId: string,
  breachId: string,
  entry: BreachTimelineEntry,
): Promise<void> {
  await db
    .insertInto('governance_breach_events')
    .values((eb) => ({
      tenant_id: tenantId,
      breach_id: breachId,
      seq: eb
        .selectFrom('governance_breach_events')
        .select(sql<number>`coalesce(max(seq), 0) + 1`.as('n'))
        .where('tenant_id', '=', tenantId)
        .where('breach_id', '=', breachId),
      at: entry.at,
      kind: entry.kind,
      note: entry.note,
      actor: entry.by ?? null,
    }))
    .execute();
}

export async function appendNotification(
  db: GovernanceDb,
  tenantId: string,
  breachId: string,
  notification: BreachNotification,
): Promise<void> {
  await db
    .insertInto('governance_breach_notifications')
    .values((eb) => ({
      tenant_id: tenantId,
      breach_id: breachId,
      seq: eb
        .selectFrom('governance_breach_notifications')
        .select(sql<number>`coalesce(max(seq), 0) + 1`.as('n'))
        .where('tenant_id', '=', tenantId)
        .where('breach_id', '=', breachId),
      audience: notification.audience,
      phase: notification.phase,
      sent_at: notification.sentAt,
      reference: notification.reference ?? null,
      summary: notification.summary,
    }))
    .execute();
}

/** Records that a reminder fired; false when another worker recorded it first (it fires once). */
export async function claimReminder(
  db: GovernanceDb,
  tenantId: string,
  breachId: string,
  hoursLeft: number,
  at: Date,
): Promise<boolean> {
  const result = await db
    .insertInto('governance_breach_reminders')
    .values({ tenant_id: tenantId, breach_id: breachId, hours_left: hoursLeft, sent_at: at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
