import { sql } from 'kysely';
import type { RetentionDatabase } from '../store/retention-database.ts';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';

/**
 * Keeps a run's claim alive while work that renews it only at its own boundaries takes long (a
 * flow's sweep task, a long pause between batches): renews `lease_until` a few times per lease
 * period for as long as this process still owns it. Stop it when the work ends.
 */
export function startLeaseHeartbeat(
  db: DbHandle<RetentionDatabase>,
  table: 'retention_runs' | 'retention_flow_runs',
  id: string,
  owner: string,
  leaseSeconds: number,
): { stop(): void } {
  const timer = setInterval(
    () => {
      void db
        .updateTable(table)
        .set({ lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .execute()
        .catch(() => {}); // a missed beat is retried at the next one; the claim lasts a whole lease
    },
    Math.max(500, (leaseSeconds * 1000) / 3),
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
