import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { Conflict } from '../../../kernel/errors/domain-error.ts';
import type { AffectedCollection, BreachNature, BreachRecord } from '../core/breach-record.ts';
import { appendTimeline } from '../store/breach-store.ts';
import { actorLabel, type GovernanceActor, type GovernanceDeps } from './governance-deps.ts';
import { mutateBreach } from './mutate-breach.ts';
import { checkAffected } from './record-breach.ts';

export interface BreachFactsPatch {
  title?: string;
  description?: string;
  nature?: BreachNature;
  occurredAt?: Date;
  affected?: AffectedCollection[];
  likelyConsequences?: string;
  measures?: string;
  contact?: string;
  /** Art. 33(1) second sentence. */
  delayReason?: string;
}

/** Completes or corrects the facts of an open breach; the timeline says which facts changed. */
export async function updateBreachFacts(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  patch: BreachFactsPatch,
  actor: GovernanceActor,
): Promise<BreachRecord> {
  const { breach } = await mutateBreach(deps, tenantId, id, async (breach, { db, trx }) => {
    if (breach.state === 'closed')
      throw new Conflict(
        'governance.breach_closed',
        `Breach ${id} is closed; its register entry no longer changes.`,
        { id },
      );
    if (patch.affected)
      breach.categories = checkAffected(deps.dataMaps.forTenant(tenantId).dataMap, patch.affected);
    const { occurredAt, ...rest } = patch;
    Object.assign(breach, rest, occurredAt ? { occurredAt: occurredAt.toISOString() } : {});
    // A new scope makes the old count wrong: it must be counted again.
    if (patch.affected) delete breach.count;
    const changed = Object.keys(patch);
    await appendTimeline(db, tenantId, id, {
      at: new Date().toISOString(),
      kind: 'updated',
      note: `Updated: ${changed.join(', ')}`,
      by: actorLabel(actor),
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.breach.updated',
      object: { type: 'breach', id },
      outcome: 'success',
      details: { fields: changed },
    });
  });
  return breach;
}
