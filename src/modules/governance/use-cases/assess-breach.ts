import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { decideNotifications, type BreachRiskInput } from '../core/breach-assessment.ts';
import type { BreachRecord } from '../core/breach-record.ts';
import { appendTimeline } from '../store/breach-store.ts';
import { actorLabel, type GovernanceActor, type GovernanceDeps } from './governance-deps.ts';
import { mutateBreach } from './mutate-breach.ts';

/**
 * Rates the breach and records the decisions that follow: notify the authority (Art. 33(1)) and
 * the subjects (Art. 34(1), unless 34(3)(a)–(c)), with the reasons the register must keep (33(5)).
 */
export async function assessBreach(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  risk: BreachRiskInput,
  actor: GovernanceActor,
): Promise<BreachRecord> {
  const { breach } = await mutateBreach(deps, tenantId, id, async (breach, { db, trx }) => {
    breach.risk = risk;
    breach.decision = decideNotifications(risk);
    await appendTimeline(db, tenantId, id, {
      at: new Date().toISOString(),
      kind: 'assessed',
      note: `${breach.decision.authorityReason}. ${breach.decision.subjectsReason}.`,
      by: actorLabel(actor),
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.breach.assessed',
      object: { type: 'breach', id },
      outcome: 'success',
      details: {
        level: breach.decision.level,
        notifyAuthority: breach.decision.notifyAuthority,
        notifySubjects: breach.decision.notifySubjects,
        exception: breach.decision.exception ?? null,
      },
    });
  });
  return breach;
}
