import { sql } from 'kysely';
import type { DbHandle } from '../../../kernel/database/db-handle.ts';
import type { RetentionDatabase } from '../store/retention-database.ts';

/** The tenant's latest retention runs and the rows real (not dry) runs swept in thirty days. */
export interface RecentRetentionRuns {
  rowsSweptLast30Days: number;
  runs: {
    id: string;
    state: string;
    dryRun: boolean;
    trigger: string;
    rowsDone: number;
    rowsEstimated: number;
    createdAt: string;
    finishedAt: string | null;
  }[];
}

/** The `limit` newest runs of the tenant, and the rows runs that were not dry runs swept in the thirty days before `now`. */
export async function recentRuns(
  db: DbHandle<RetentionDatabase>,
  tenantId: string,
  now: Date,
  limit: number,
): Promise<RecentRetentionRuns> {
  const month = new Date(now.getTime() - 30 * 24 * 3600_000);
  const [runs, swept] = await Promise.all([
    db
      .selectFrom('retention_runs')
      .where('tenant_id', '=', tenantId)
      .select([
        'id',
        'state',
        'dry_run',
        'trigger',
        'rows_done',
        'rows_estimated',
        'created_at',
        'finished_at',
      ])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('retention_runs')
      .where('tenant_id', '=', tenantId)
      .where('dry_run', '=', false)
      .where('created_at', '>=', month)
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('rows_done'), sql<string>`0`).as('rows'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rowsSweptLast30Days: Number(swept.rows),
    runs: runs.map((run) => ({
      id: run.id,
      state: run.state,
      dryRun: run.dry_run,
      trigger: run.trigger,
      rowsDone: Number(run.rows_done),
      rowsEstimated: Number(run.rows_estimated),
      createdAt: run.created_at.toISOString(),
      finishedAt: run.finished_at?.toISOString() ?? null,
    })),
  };
}
