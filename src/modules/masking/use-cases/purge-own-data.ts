import type { OwnDataRetention } from '../../../kernel/module.ts';
import { groupByTenant, recordOwnDataPurged } from '../../../platform/audit/record-own-data-purged.ts';
import type { MaskingServices } from '../masking-services.ts';

const BATCH = 500;
const DAY = 86_400_000;

/**
 * Masking's own storage limitation (GDPR Art. 5(1)(e)), run by the built-in `steward-data` flow:
 * finished runs (completed, failed or cancelled) and their reports — rows per table, transformers,
 * column statistics, the leak check; names and counts, never a value — after
 * `retention.stewardData.maskingRunsDays`. A queued or running copy is never touched. Its tables'
 * progress goes with it (ON DELETE CASCADE); the audit log keeps the run's start and end events.
 */
export const maskingOwnDataRetention: OwnDataRetention<MaskingServices> = {
  async purge(services, { dryRun, now, periods, actor }) {
    const before = new Date(now.getTime() - Number(periods.maskingRunsDays) * DAY);
    const { db } = services.database;
    const due = db
      .selectFrom('masking_runs')
      .where('state', 'in', ['completed', 'failed', 'cancelled'])
      .where('finished_at', '<', before);
    if (dryRun)
      return {
        maskingRuns: Number(
          (await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
        ),
      };
    let total = 0;
    for (;;) {
      const batch = await due.select(['id', 'tenant_id']).limit(BATCH).execute();
      if (!batch.length) return { maskingRuns: total };
      total += await db.transaction().execute(async (trx) => {
        let deleted = 0;
        for (const [tenantId, ids] of groupByTenant(batch, (run) => run.id)) {
          // Checked again: a cancelled copy may have been reopened since it was selected.
          const result = await trx
            .deleteFrom('masking_runs')
            .where('tenant_id', '=', tenantId)
            .where('id', 'in', ids)
            .where('state', 'in', ['completed', 'failed', 'cancelled'])
            .executeTakeFirst();
          const count = Number(result.numDeletedRows);
          if (count) await recordOwnDataPurged(trx, { tenantId, actor, kind: 'masking_runs', count });
          deleted += count;
        }
        return deleted;
      });
    }
  },
};
