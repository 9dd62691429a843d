import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import type { BreachRecord } from '../core/breach-record.ts';
import { appendTimeline, readBreach } from '../store/breach-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
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
  refuseUndeclaredCollections(deps, tenantId, current);
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

/**
 * A count is the register's Art. 33(3)(a) figure: a collection the data map does not declare (the
 * data map changed, or this process did not load the one that names it, as the CLI without the
 * demo) would be counted as nobody and recorded as "0 subjects". Refused instead, recording nothing.
 */
function refuseUndeclaredCollections(
  deps: GovernanceCountingDeps,
  tenantId: string,
  breach: Pick<BreachRecord, 'id' | 'affected'>,
): void {
  const systems = deps.dataMaps.forTenant(tenantId).dataMap.systems;
  const undeclared = breach.affected
    .filter(
      (item) =>
        !systems.some((s) => s.id === item.system && s.collections.some((c) => c.name === item.collection)),
    )
    .map((item) => `${item.system}.${item.collection}`);
  if (!undeclared.length) return;
  throw new InvalidInput(
    'governance.unknown_collection',
    `Breach ${breach.id} cannot be counted: ${undeclared.join(', ')} ${undeclared.length === 1 ? 'is' : 'are'} not in the data map, so nobody would be counted there; nothing was recorded. Count with the data map that declares ${undeclared.length === 1 ? 'it' : 'them'} (the demo shop: --demo or demo.enabled), or correct the breach's affected collections.`,
    { id: breach.id, collections: undeclared },
  );
}
