import { publishEvent } from '../../../platform/events/publish-event.ts';
import { dueReminders, formatInstant, notificationDeadline } from '../core/breach-clock.ts';
import { appendTimeline, claimReminder, listOpenBreaches, readBreach } from '../store/breach-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { governanceSettings } from '../config-schema.ts';
import type { GovernanceDeps } from './governance-deps.ts';
import { breachView } from './read-breach.ts';

/**
 * The reminder job's work: for every open breach whose authority notification is still due,
 * publishes `governance.breach_deadline_approaching` at each configured number of hours left and
 * once more when the deadline has passed (escalation). Each reminder is claimed in the same
 * transaction as its event, so it fires once however many workers tick.
 */
export async function sendBreachReminders(
  deps: Pick<GovernanceDeps, 'database' | 'config'>,
  now = new Date(),
): Promise<{ sent: number }> {
  const settings = governanceSettings(deps.config);
  const db = governanceDb(deps.database.db);
  let sent = 0;
  for (const { tenantId, id } of await listOpenBreaches(db)) {
    const breach = await readBreach(db, tenantId, id);
    if (!breach) continue;
    const view = breachView(breach, settings.timeZone, now);
    if (view.clock.state !== 'running' && view.clock.state !== 'overdue') continue;
    for (const reminder of dueReminders(
      new Date(breach.awareAt),
      now,
      breach.remindersSent,
      settings.breachReminderHoursLeft,
    )) {
      const fired = await deps.database.db.transaction().execute(async (trx) => {
        if (!(await claimReminder(governanceDb(trx), tenantId, id, reminder.hoursLeft, now))) return false;
        const deadline = notificationDeadline(new Date(breach.awareAt));
        const note =
          reminder.kind === 'escalation'
            ? `Escalation: the 72-hour period ended ${formatInstant(deadline, settings.timeZone)} and the authority has not been notified`
            : `Reminder: ${reminder.hoursLeft} h left to notify the authority (deadline ${formatInstant(deadline, settings.timeZone)})`;
        await appendTimeline(governanceDb(trx), tenantId, id, {
          at: now.toISOString(),
          kind: reminder.kind,
          note,
        });
        await publishEvent(trx, {
          tenantId,
          type: 'governance.breach_deadline_approaching',
          source: 'governance',
          topic: 'governance.breach',
          orderingKey: `breach:${id}`,
          data: {
            breachId: id,
            title: breach.title,
            deadline: deadline.toISOString(),
            hoursLeft: reminder.hoursLeft,
            escalation: reminder.kind === 'escalation',
            overdue: now > deadline,
          },
        });
        return true;
      });
      if (fired) sent++;
    }
  }
  return { sent };
}
