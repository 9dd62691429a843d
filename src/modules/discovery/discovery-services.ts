import type { PlatformServices } from '../../platform/platform-services.ts';
import type { DiscoveryTables } from './store/discovery-tables.ts';

/** What the discovery module's adapters (routes, jobs, commands) use: the platform services, on its own tables. */
export type DiscoveryServices = PlatformServices<DiscoveryTables>;
