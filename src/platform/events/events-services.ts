import type { PlatformServices } from '../platform-services.ts';
import type { EventsDatabase } from './store/events-database.ts';

/** What the events service's adapters (routes, jobs, commands) use: the platform services, on its own tables. */
export type EventsServices = PlatformServices<EventsDatabase>;
