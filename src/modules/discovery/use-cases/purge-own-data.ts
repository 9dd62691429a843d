import type { OwnDataRetention } from '../../../kernel/module.ts';
import { groupByTenant, recordOwnDataPurged } from '../../../platform/audit/record-own-data-purged.ts';
import type { DiscoveryServices } from '../discovery-services.ts';

const BATCH = 500;
const DAY = 86_400_000;

/**
 * Discovery's own storage limitation (GDPR Art. 5(1)(e)), run by the built-in `steward-data` flow:
 * runs (categories, confidences and evidence counts per column — never a value) older than
 * `retention.stewardData.discoveryRunsDays`, except each system's latest run, which the next run is
 * compared with. Their columns go with them (ON DELETE CASCADE). One transaction and one audit event
 * per tenant and batch.
 */
export const discoveryOwnDataRetention: OwnDataRetention<DiscoveryServices> = {
  async purge(services, { dryRun, now, periods, actor }) {
    const before = new Date(now.getTime() - Number(periods.discoveryRunsDays) * DAY);
    const { db } = services.database;
    const due = db
      .selectFrom('discovery_runs as r')
      .where('r.started_at', '<', before)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('discovery_runs as newer')
            .select('newer.id')
            .whereRef('newer.tenant_id', '=', 'r.tenant_id')
            .whereRef('newer.system', '=', 'r.system')
            .whereRef('newer.started_at', '>', 'r.started_at'),
        ),
      );
    if (dryRun)
      return {
        discoveryRuns: Number(
          (await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
        ),
      };
    let total = 0;
    for (;;) {
      const batch = await due.select(['r.id', 'r.tenant_id']).limit(BATCH).execute();
      if (!batch.length) return { discoveryRuns: total };
      await db.transaction().execute(async (trx) => {
        for (const [tenantId, ids] of groupByTenant(batch, (run) => run.id)) {
          await trx
            .deleteFrom('discovery_runs')
            .where('tenant_id', '=', tenantId)
            .where('id', 'in', ids)
            .execute();
          await recordOwnDataPurged(trx, { tenantId, actor, kind: 'discovery_runs', count: ids.length });
        }
      });
      total += batch.length;
    }
  },
};
