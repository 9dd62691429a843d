import { eventsOwnDataRetention } from './purge-delivered-events.ts';
import { defineModule } from '../../kernel/module.ts';
import { eventsConfigSchema, type EventsConfig } from './events-config-schema.ts';
import type { EventsServices } from './events-services.ts';
import { eventsRoutes } from './http/events-routes.ts';
import { eventsMigrations } from './store/events-migrations.ts';
import type { EventsTables } from './store/events-tables.ts';
import { registerEventsMetrics } from './events-metrics.ts';

/** The transactional outbox and its delivery to webhooks and NATS JetStream. */
export const eventsModule = defineModule<EventsServices, EventsTables, 'events', EventsConfig>({
  name: 'events',
  config: { key: 'events', schema: eventsConfigSchema },
  tables: {} as EventsTables,
  migrations: eventsMigrations,
  routes: eventsRoutes,
  metrics: registerEventsMetrics,
  ownDataRetention: eventsOwnDataRetention,
});
