// The discovery module's manifest: personal data nobody declared — column classification of real
// databases and log files, drift against the data map, stored runs compared run to run.
import { defineModule } from '../../kernel/module.ts';
import { discoverCommand } from './cli/discover-command.ts';
import { discoveryConfigSchema, type DiscoveryConfig } from './config-schema.ts';
import type { DiscoveryServices } from './discovery-services.ts';
import { discoveryRoutes } from './http/discovery-routes.ts';
import { discoveryJobs } from './jobs.ts';
import { discoveryMigrations } from './store/discovery-migrations.ts';
import { discoveryOwnDataRetention } from './use-cases/purge-own-data.ts';
import type { DiscoveryTables } from './store/discovery-tables.ts';

export const discoveryModule = defineModule<DiscoveryServices, DiscoveryTables, 'discovery', DiscoveryConfig>(
  {
    name: 'discovery',
    config: { key: 'discovery', schema: discoveryConfigSchema },
    tables: {} as DiscoveryTables,
    migrations: discoveryMigrations,
    routes: discoveryRoutes,
    jobs: discoveryJobs,
    commands: [discoverCommand],
    ownDataRetention: discoveryOwnDataRetention,
  },
);
