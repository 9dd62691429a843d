import type { OwnDataRetention } from '../../kernel/module.ts';
import { groupByTenant, recordOwnDataPurged } from '../audit/record-own-data-purged.ts';
import type { EventsServices } from './events-services.ts';

const BATCH = 500;
type PurgeActor = { kind: 'system'; id: string };

/** Outbox events delivered everywhere (dead letters stay, to be replayed), after `events.keepDeliveredDays`. */
export const eventsOwnDataRetention: OwnDataRetention<EventsServices> = {
  async purge(services, { dryRun, now, actor }) {
    const before = new Date(now.getTime() - services.config.events.keepDeliveredDays * 86_400_000);
    return { events: await purgeEvents(services, dryRun, before, actor) };
  },
};

async function purgeEvents(
  services: EventsServices,
  dryRun: boolean,
  before: Date,
  actor: PurgeActor,
): Promise<number> {
  const { db } = services.database;
  const due = db
    .selectFrom('event_outbox as o')
    .where('o.routed_at', 'is not', null)
    .where('o.created_at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('event_deliveries as d')
            .select('d.id')
            .whereRef('d.event_id', '=', 'o.id')
            .where('d.status', '<>', 'delivered'),
        ),
      ),
    );
  if (dryRun)
    return Number((await due.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  let total = 0;
  for (;;) {
    const batch = await due.select(['o.id', 'o.tenant_id']).limit(BATCH).execute();
    if (!batch.length) return total;
    await db.transaction().execute(async (trx) => {
      const ids = batch.map((b) => b.id);
      await trx.deleteFrom('event_deliveries').where('event_id', 'in', ids).execute();
      await trx.deleteFrom('event_outbox').where('id', 'in', ids).execute();
      for (const [tenantId, tenantIds] of groupByTenant(batch, (b) => b.id))
        await recordOwnDataPurged(trx, {
          tenantId,
          actor,
          kind: 'delivered_events',
          count: tenantIds.length,
        });
    });
    total += batch.length;
  }
}
