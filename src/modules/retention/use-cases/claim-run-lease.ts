import { type Selectable, sql } from 'kysely';
import type { RetentionDatabase } from '../store/retention-database.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

/** The tables whose rows are runs a process works on under a lease (`lease_owner`, `lease_until`). */
export type LeasedRunTable = 'retention_runs' | 'retention_flow_runs';

/**
 * Claims a queued or running run for `owner` unless another live process holds it (its lease has
 * not run out), and renews the lease for `leaseSeconds`. Returns the claimed row, or undefined.
 */
export async function claimRunLease<T extends LeasedRunTable>(
  db: DbHandle<RetentionDatabase>,
  table: T,
  tenantId: string,
  id: string,
  owner: string,
  leaseSeconds: number,
): Promise<Selectable<RetentionDatabase[T]> | undefined> {
  const claimed = await db
    .updateTable(table as LeasedRunTable)
    .set({
      lease_owner: owner,
      lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
      state: 'running',
      started_at: sql<Date>`coalesce(started_at, now())`,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'running'])
    .where((eb) =>
      eb.or([
        eb('lease_until', 'is', null),
        eb('lease_until', '<', sql<Date>`now()`),
        eb('lease_owner', '=', owner),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  return claimed as Selectable<RetentionDatabase[T]> | undefined;
}
