import type { AuditDatabase } from '../../platform/audit/store/audit-database.ts';
import type { PlatformServices } from '../../platform/platform-services.ts';
import type { DiscoveryTables } from './store/discovery-tables.ts';

/**
 * What the discovery module's adapters (routes, jobs, commands) use: the platform services, on its
 * own tables and the audit log (its own-data purge records what it removed).
 */
export type DiscoveryServices = PlatformServices<DiscoveryTables & AuditDatabase>;
