// The retention module's manifest: rules in the data map and privacy flows that delete or anonymise
// what has outlived its purpose, in small batches, with dry runs and reports.
import { retentionOwnDataRetention } from './use-cases/steward-data-purge.ts';
import { defineModule } from '../../kernel/module.ts';
import { flowsCommand } from './cli/flows-command.ts';
import { retentionCommand } from './cli/retention-command.ts';
import { retentionConfigSchema, type RetentionConfig } from './config-schema.ts';
import { retentionRoutes } from './http/retention-routes.ts';
import { retentionJobs } from './jobs.ts';
import { registerRetentionMetrics } from './metrics.ts';
import type { RetentionServices } from './retention-services.ts';
import { retentionMigrations } from './store/retention-migrations.ts';
import type { RetentionTables } from './store/retention-tables.ts';

export const retentionModule = defineModule<RetentionServices, RetentionTables, 'retention', RetentionConfig>(
  {
    name: 'retention',
    config: { key: 'retention', schema: retentionConfigSchema },
    tables: {} as RetentionTables,
    migrations: retentionMigrations,
    routes: retentionRoutes,
    jobs: retentionJobs,
    commands: [retentionCommand, flowsCommand],
    metrics: registerRetentionMetrics,
    ownDataRetention: retentionOwnDataRetention,
  },
);
