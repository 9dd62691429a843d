import { sql } from 'kysely';
import type { DsrServices } from './dsr-services.ts';
import { CLOSED_STATES, REQUEST_STATES } from './use-cases/requests/request-states.ts';

/**
 * The DSR module's gauges, read at scrape time: requests by state (every state reported, zero
 * included, so a graph has no gaps) and open requests past their deadline (GDPR Art. 12(3): one
 * month, extendable; CCPA: 45 days). Counts over all tenants; one aggregate query each.
 */
export function registerDsrMetrics(services: Pick<DsrServices, 'database' | 'metrics'>): void {
  const { db } = services.database;
  services.metrics.gaugeAtScrape(
    { name: 'steward_dsr_requests', help: 'Data subject requests by state.', labelNames: ['state'] },
    async () => {
      const rows = await db
        .selectFrom('dsr_requests')
        .select(['state', (eb) => eb.fn.countAll<string>().as('count')])
        .groupBy('state')
        .execute();
      const counts = new Map(rows.map((row) => [row.state, Number(row.count)]));
      return REQUEST_STATES.map((state) => ({ labels: { state }, value: counts.get(state) ?? 0 }));
    },
  );
  services.metrics.gaugeAtScrape(
    {
      name: 'steward_dsr_requests_overdue',
      help: 'Open data subject requests whose deadline has passed.',
    },
    async () => {
      const row = await db
        .selectFrom('dsr_requests')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('state', 'not in', [...CLOSED_STATES])
        .where('due_at', '<', sql<Date>`now()`)
        .executeTakeFirstOrThrow();
      return [{ value: Number(row.count) }];
    },
  );
}
