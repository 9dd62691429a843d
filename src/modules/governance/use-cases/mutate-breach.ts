import { NotFound } from '../../../kernel/errors/domain-error.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';
import type { AuditDatabase } from '../../../platform/audit/store/audit-database.ts';
import type { EventsTables } from '../../../platform/events/store/events-tables.ts';
import type { BreachRecord } from '../core/breach-record.ts';
import { lockBreach, readBreach, updateBreach } from '../store/breach-store.ts';
import { governanceDb, type GovernanceDb } from '../store/governance-db.ts';
import type { GovernanceDeps } from './governance-deps.ts';

/** The handle audit and events are written with, inside the change's transaction. */
export type StewardTransaction = DbHandle<EventsTables & AuditDatabase>;

/**
 * The one transaction every breach change runs in: the row locked (concurrent changes apply one
 * after the other), the record read, changed by `change`, saved, and read back with its timeline.
 */
export async function mutateBreach<T>(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  change: (breach: BreachRecord, context: { db: GovernanceDb; trx: StewardTransaction }) => Promise<T>,
): Promise<{ breach: BreachRecord; result: T }> {
  return deps.database.db.transaction().execute(async (trx) => {
    const db = governanceDb(trx);
    if (!(await lockBreach(db, tenantId, id)))
      throw new NotFound('governance.breach_not_found', `No breach ${id} in the register.`, { id });
    const breach = (await readBreach(db, tenantId, id))!;
    const result = await change(breach, { db, trx });
    breach.updatedAt = new Date().toISOString();
    await updateBreach(db, breach);
    return { breach: (await readBreach(db, tenantId, id))!, result };
  });
}
