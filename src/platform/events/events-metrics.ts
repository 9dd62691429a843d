import { sql } from 'kysely';
import type { EventsServices } from './events-services.ts';

/**
 * The outbox's gauges, read at scrape time through the partial indexes of unrouted events and
 * pending deliveries (small while delivery keeps up): how many events wait at each stage, and the
 * lag — the age of the oldest event not yet delivered everywhere (0 when nothing waits).
 */
export function registerEventsMetrics(services: Pick<EventsServices, 'database' | 'metrics'>): void {
  const { db } = services.database;
  let latest: Promise<OutboxFigures> | undefined;
  // Both gauges come from one query; a scrape reads them together, so they share it.
  const figures = () => {
    latest ??= readOutboxFigures(db).finally(() => setImmediate(() => (latest = undefined)));
    return latest;
  };
  services.metrics.gaugeAtScrape(
    {
      name: 'steward_events_pending',
      help: 'Events waiting in the outbox: to be routed to their destinations, or routed and not yet delivered (per destination).',
      labelNames: ['stage'],
    },
    async () => {
      const { unrouted, undelivered } = await figures();
      return [
        { labels: { stage: 'routing' }, value: unrouted },
        { labels: { stage: 'delivery' }, value: undelivered },
      ];
    },
  );
  services.metrics.gaugeAtScrape(
    {
      name: 'steward_events_outbox_lag_seconds',
      help: 'Age of the oldest event not yet delivered to every destination (0 when none waits).',
    },
    async () => [{ value: (await figures()).lagSeconds }],
  );
}

interface OutboxFigures {
  unrouted: number;
  undelivered: number;
  lagSeconds: number;
}

async function readOutboxFigures(db: EventsServices['database']['db']): Promise<OutboxFigures> {
  const { rows } = await sql<{ unrouted: string; undelivered: string; lag: string | null }>`
    select
      (select count(*) from event_outbox where routed_at is null) as unrouted,
      (select count(*) from event_deliveries where status = 'pending') as undelivered,
      extract(epoch from now() - least(
        (select min(created_at) from event_outbox where routed_at is null),
        (select min(o.created_at) from event_deliveries d join event_outbox o on o.id = d.event_id
          where d.status = 'pending')
      )) as lag`.execute(db);
  const row = rows[0]!;
  return {
    unrouted: Number(row.unrouted),
    undelivered: Number(row.undelivered),
    lagSeconds: row.lag === null ? 0 : Math.max(0, Number(row.lag)),
  };
}
