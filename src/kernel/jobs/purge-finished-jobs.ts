import { sql } from 'kysely';
import type { OwnDataRetention } from '../module.ts';
import type { StewardDatabase } from '../database/open-database.ts';
import { DEAD_LETTER_QUEUE } from './job-engine.ts';
import type { JobsTables } from './jobs-tables.ts';

/**
 * Finished jobs of every queue but the dead-letter one (kept for its own 30 days to be redriven),
 * after `retention.stewardData.jobHistoryDays`.
 */
export const jobsOwnDataRetention: OwnDataRetention<{ database: StewardDatabase<JobsTables> }> = {
  async purge(services, { dryRun, now, periods }) {
    const before = new Date(now.getTime() - Number(periods.jobHistoryDays) * 86_400_000);
    return { jobs: await purgeJobs(services.database, dryRun, before) };
  },
};

async function purgeJobs(
  database: StewardDatabase<JobsTables>,
  dryRun: boolean,
  before: Date,
): Promise<number> {
  const { db } = database;
  const where = sql`state in ('completed', 'cancelled') and completed_on < ${before} and name <> ${DEAD_LETTER_QUEUE}`;
  if (dryRun)
    return Number(
      (await sql<{ n: string }>`select count(*) as n from pgboss.job where ${where}`.execute(db)).rows[0]
        ?.n ?? 0,
    );
  const result = await sql`delete from pgboss.job where ${where}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
