import type { OwnDataRetention } from '../../../kernel/module.ts';
import type { RetentionServices } from '../retention-services.ts';
import { RETENTION_ACTOR } from './execute-run.ts';

/**
 * Steward's own storage limitation (GDPR Art. 5(1)(e)), across all tenants: every module's own
 * purge (`ownDataRetention` in its manifest) with the periods in `retention.stewardData`, this
 * module's run records among them. Each batch is one transaction with its audit event; re-running
 * is harmless.
 */
export async function purgeStewardData(
  services: RetentionServices,
  options: { dryRun?: boolean; now?: Date } = {},
): Promise<StewardPurgeResult> {
  const dryRun = options.dryRun === true;
  const now = options.now ?? new Date();
  const periods = services.config.retention.stewardData;
  const counts: Record<string, number> = {};
  for (const purger of services.ownDataPurgers)
    Object.assign(counts, await purger.purge({ dryRun, now, periods, actor: RETENTION_ACTOR }));
  return {
    dryRun,
    ...counts,
    logs: 'none on disk: Steward writes its logs (without personal data) to stdout only; their retention is that of your log platform',
  };
}

/** What one purge removed (or, as a dry run, would remove), per kind of Steward record. */
export type StewardPurgeResult = { dryRun: boolean; logs: string } & Record<
  string,
  number | boolean | string
>;

/** Finished sweep and flow runs, after `retention.stewardData.runsDays`. */
export const retentionOwnDataRetention: OwnDataRetention<RetentionServices> = {
  async purge(services, { dryRun, now, periods }) {
    const before = new Date(now.getTime() - Number(periods.runsDays) * 86_400_000);
    return { retentionRuns: await purgeRuns(services, dryRun, before) };
  },
};

async function purgeRuns(services: RetentionServices, dryRun: boolean, before: Date): Promise<number> {
  const { db } = services.database;
  const finished = (table: 'retention_runs' | 'retention_flow_runs') =>
    db
      .selectFrom(table)
      .where('finished_at', '<', before)
      .where('state', 'in', ['completed', 'failed', 'cancelled']);
  if (dryRun)
    return Number(
      (
        await finished('retention_runs')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return db.transaction().execute(async (trx) => {
    const runs = await trx
      .deleteFrom('retention_runs')
      .where('finished_at', '<', before)
      .where('state', 'in', ['completed', 'failed', 'cancelled'])
      .executeTakeFirst();
    await trx
      .deleteFrom('retention_flow_runs')
      .where('finished_at', '<', before)
      .where('state', 'in', ['completed', 'failed', 'cancelled'])
      .execute();
    return Number(runs.numDeletedRows);
  });
}
