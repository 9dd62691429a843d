import type { PlatformServices } from '../platform-services.ts';
import type { AuditDatabase } from './store/audit-database.ts';

/** What the audit service's adapters (routes, jobs, commands) use: the platform services, on its own tables. */
export type AuditServices = PlatformServices<AuditDatabase>;
