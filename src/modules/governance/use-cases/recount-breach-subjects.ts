import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { BreachRecord } from '../core/breach-record.ts';
import { appendTimeline, readBreach } from '../store/breach-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { NotFound } from '../../../kernel/errors/domain-error.ts';
import { countAffectedSubjects } from './count-affected-subjects.ts';
import { actorLabel, type GovernanceActor, type GovernanceCountingDeps } from './governance-deps.ts';
import { mutateBreach } from './mutate-breach.ts';

/**
 * Counts the breach's affected subjects and records in the real systems (never guessed) and keeps
 * the counts (Art. 33(3)(a): the approximate number of data subjects and of records). The systems
 * are read before the register row is locked, so a slow system never holds the lock.
 */
export async function recountBreachSubjects(
  deps: GovernanceCountingDeps,
  tenantId: string,
  id: string,
  actor: GovernanceActor,
): Promise<BreachRecord> {
  const current = await readBreach(governanceDb(deps.database.db), tenantId, id);
  if (!current) throw new NotFound('governance.breach_not_found', `No breach ${id} in the register.`, { id });
  const count = await countAffectedSubjects(deps, tenantId, current.affected);
  const { breach } = await mutateBreach(deps, tenantId, id, async (breach, { db, trx }) => {
    breach.count = count;
    await appendTimeline(db, tenantId, id, {
      at: count.countedAt,
      kind: 'counted',
      note: `Counted ${count.subjects} data subjects and ${count.records} records in ${count.byCollection.length} collections`,
      by: actorLabel(actor),
    });
    await recordAuditEvent(trx, {
      tenantId,
      actor,
      action: 'governance.breach.counted',
      object: { type: 'breach', id },
      outcome: 'success',
      details: { subjects: count.subjects, records: count.records },
    });
  });
  return breach;
}
