import type { PlatformServices } from '../platform-services.ts';
import type { EventsTables } from '../events/store/events-tables.ts';
import type { AuditDatabase } from './store/audit-database.ts';

/**
 * What the audit service's adapters (routes, jobs, commands) use: the platform services, on its own
 * tables and the event outbox (an integrity violation is announced there).
 */
export type AuditServices = PlatformServices<AuditDatabase & EventsTables>;
