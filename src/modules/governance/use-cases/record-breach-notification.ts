import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { Conflict, InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { notificationDeadline } from '../core/breach-clock.ts';
import type { BreachNotification, BreachRecord } from '../core/breach-record.ts';
import { appendNotification, appendTimeline } from '../store/breach-store.ts';
import { actorLabel, type GovernanceActor, type GovernanceDeps } from './governance-deps.ts';
import { mutateBreach } from './mutate-breach.ts';

/**
 * Records a notification that was sent: to the authority (Art. 33), the subjects (Art. 34) or the
 * public (34(3)(c)), initial, follow-up or final (Art. 33(4): information may be given in phases).
 * An authority notification after the 72 hours needs the reasons for the delay (Art. 33(1)).
 */
export async function recordBreachNotification(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  notification: BreachNotification,
  actor: GovernanceActor,
): Promise<BreachRecord> {
  const { breach } = await mutateBreach(deps, tenantId, id, async (breach, { db, trx }) => {
    if (breach.state === 'closed')
      throw new Conflict('governance.breach_closed', `Breach ${id} is closed.`, { id });
    const deadline = notificationDeadline(new Date(breach.awareAt));
    const firstToAuthority =
      notification.audience === 'authority' && !breach.notifications.some((n) => n.audience === 'authority');
    if (firstToAuthority && new Date(notification.sentAt) > deadline && !breach.delayReason?.trim())
      throw new InvalidInput(
        'governance.delay_reason_required',
        `The authority was notified after the 72 hours ended (${deadline.toISOString()}); Art. 33(1) requires the reasons for the delay. Set delayReason on the breach first.`,
        { deadline: deadline.toISOString() },
      );
    if (firstToAuthority && notification.phase !== 'initial')
      throw new InvalidInput(
        'governance.first_notification_not_initial',
        'The first notification to the authority is the initial one; follow-ups come after it (Art. 33(4)).',
      );
    await appendNotification(db, tenantId, id, notification);
    await appendTimeline(db, tenantId, id, {
      at: notification.sentAt,
      kind: 'notified',
      note: `${notification.phase.replace('_', '-')} notification to ${notification.audience === 'subjects' ? 'the data subjects' : `the ${notification.audience}`}${notification.reference ? ` (${notification.reference})` : ''}`,
      by: actorLabel(actor),
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.breach.notified',
      object: { type: 'breach', id },
      outcome: 'success',
      details: {
        audience: notification.audience,
        phase: notification.phase,
        sentAt: notification.sentAt,
        late: new Date(notification.sentAt) > deadline,
      },
    });
  });
  return breach;
}
