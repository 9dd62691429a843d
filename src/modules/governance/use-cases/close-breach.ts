import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { Conflict } from '../../../kernel/errors/domain-error.ts';
import type { BreachRecord } from '../core/breach-record.ts';
import { appendTimeline } from '../store/breach-store.ts';
import { actorLabel, type GovernanceActor, type GovernanceDeps } from './governance-deps.ts';
import { mutateBreach } from './mutate-breach.ts';

/**
 * Closes a breach once its register entry is complete (Art. 33(5)): assessed, remedied, and
 * notified wherever the assessment said so — or refuses, naming what is missing.
 */
export async function closeBreach(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  actor: GovernanceActor,
  note = 'Closed',
): Promise<BreachRecord> {
  const { breach } = await mutateBreach(deps, tenantId, id, async (breach, { db, trx }) => {
    if (breach.state === 'closed')
      throw new Conflict('governance.breach_closed', `Breach ${id} is already closed.`, { id });
    const missing = missingForClosure(breach);
    if (missing.length)
      throw new Conflict(
        'governance.breach_incomplete',
        `Breach ${id} cannot be closed yet: ${missing.join('; ')}.`,
        { missing },
      );
    const at = new Date().toISOString();
    breach.state = 'closed';
    breach.closedAt = at;
    await appendTimeline(db, tenantId, id, { at, kind: 'closed', note, by: actorLabel(actor) });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.breach.closed',
      object: { type: 'breach', id },
      outcome: 'success',
    });
  });
  return breach;
}

export function missingForClosure(breach: BreachRecord): string[] {
  const missing: string[] = [];
  if (!breach.decision) missing.push('assess the risk (it decides whether to notify, Art. 33(1) and 34(1))');
  if (!breach.measures.trim()) missing.push('describe the remedial action (Art. 33(5))');
  const sent = (audience: string) => breach.notifications.some((n) => n.audience === audience);
  if (breach.decision?.notifyAuthority && !sent('authority'))
    missing.push('record the notification to the supervisory authority (Art. 33(1))');
  if (breach.decision?.notifySubjects && !sent('subjects'))
    missing.push('record the communication to the data subjects (Art. 34(1))');
  if (breach.decision?.publicCommunication && !sent('public'))
    missing.push('record the public communication (Art. 34(3)(c))');
  return missing;
}
