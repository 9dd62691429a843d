import type { Kysely } from 'kysely';
import type { OwnDataRetention } from '../../../kernel/module.ts';
import { groupByTenant, recordOwnDataPurged } from '../../../platform/audit/record-own-data-purged.ts';
import type { GovernanceDatabase, GovernanceServices } from './governance-deps.ts';

const BATCH = 500;
const DAY = 86_400_000;
type PurgeActor = { kind: 'system'; id: string };

/**
 * Governance's own storage limitation (GDPR Art. 5(1)(e)), run by the built-in `steward-data` flow:
 * - stored generations of the record of processing (they carry the hand-written controller and DPO
 *   contacts) older than `ropaGenerationsDays`, except each tenant's latest, which `ropa diff`
 *   compares the current record with;
 * - the reminder bookkeeping of breaches closed more than `breachRemindersDays` ago (it only stops
 *   a reminder from firing twice; the breach's timeline keeps what happened).
 * The registers themselves stay: the breach register is the Art. 33(5) documentation an authority
 * verifies compliance with, and the DPIAs, screenings, processors and hand-written record fields are
 * current records (Art. 30, 35), not history.
 */
export const governanceOwnDataRetention: OwnDataRetention<GovernanceServices> = {
  async purge(services, { dryRun, now, periods, actor }) {
    const daysAgo = (key: string) => new Date(now.getTime() - Number(periods[key]) * DAY);
    const db = services.database.db;
    return {
      ropaGenerations: await purgeRopaGenerations(db, dryRun, daysAgo('ropaGenerationsDays'), actor),
      breachReminders: await purgeBreachReminders(db, dryRun, daysAgo('breachRemindersDays'), actor),
    };
  },
};

async function purgeRopaGenerations(
  db: Kysely<GovernanceDatabase>,
  dryRun: boolean,
  before: Date,
  actor: PurgeActor,
): Promise<number> {
  const due = db
    .selectFrom('governance_ropa_generations as g')
    .where('g.generated_at', '<', before)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('governance_ropa_generations as newer')
          .select('newer.id')
          .whereRef('newer.tenant_id', '=', 'g.tenant_id')
          .whereRef('newer.generated_at', '>', 'g.generated_at'),
      ),
    );
  if (dryRun)
    return Number((await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const batch = await due.select(['g.id', 'g.tenant_id']).limit(BATCH).execute();
    if (!batch.length) return total;
    await db.transaction().execute(async (trx) => {
      for (const [tenantId, ids] of groupByTenant(batch, (generation) => generation.id)) {
        await trx
          .deleteFrom('governance_ropa_generations')
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', ids)
          .execute();
        await recordOwnDataPurged(trx, { tenantId, actor, kind: 'ropa_generations', count: ids.length });
      }
    });
    total += batch.length;
  }
}

async function purgeBreachReminders(
  db: Kysely<GovernanceDatabase>,
  dryRun: boolean,
  before: Date,
  actor: PurgeActor,
): Promise<number> {
  const due = db
    .selectFrom('governance_breach_reminders as r')
    .innerJoin('governance_breaches as b', (join) =>
      join.onRef('b.tenant_id', '=', 'r.tenant_id').onRef('b.id', '=', 'r.breach_id'),
    )
    .where('b.state', '=', 'closed')
    .where('b.closed_at', '<', before);
  if (dryRun)
    return Number((await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const batch = await due.select(['r.tenant_id', 'r.breach_id']).distinct().limit(BATCH).execute();
    if (!batch.length) return total;
    await db.transaction().execute(async (trx) => {
      for (const [tenantId, breaches] of groupByTenant(batch, (reminder) => reminder.breach_id)) {
        const deleted = await trx
          .deleteFrom('governance_breach_reminders')
          .where('tenant_id', '=', tenantId)
          .where('breach_id', 'in', breaches)
          .executeTakeFirst();
        const count = Number(deleted.numDeletedRows);
        await recordOwnDataPurged(trx, { tenantId, actor, kind: 'breach_reminders', count });
        total += count;
      }
    });
  }
}
