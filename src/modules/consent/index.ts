// The consent module's manifest: notices, the append-only ledger, checks on the hot path, GPC, IAB
// TCF strings, expiry and withdrawal; it provides the consent runtime (cache kept current across
// replicas) to every process.
import { defineModule } from '../../kernel/module.ts';
import { consentCommand } from './cli/consent-command.ts';
import { consentConfigSchema, type ConsentConfig } from './config-schema.ts';
import type { ConsentServices } from './consent-services.ts';
import { consentRoutes, registerGpcWellKnownRoute } from './http/consent-routes.ts';
import { consentExpiryJob, consentWithdrawalErasureJob } from './jobs.ts';
import { consentCheckCounters } from './metrics.ts';
import { consentMigrations } from './store/consent-migrations.ts';
import type { ConsentTables } from './store/consent-tables.ts';
import { createConsentRuntime, type ConsentRuntime } from './use-cases/consent-runtime.ts';

export const consentModule = defineModule<ConsentServices, ConsentTables, 'consent', ConsentConfig>({
  name: 'consent',
  config: { key: 'consent', schema: consentConfigSchema },
  tables: {} as ConsentTables,
  migrations: consentMigrations,
  routes: consentRoutes,
  publicRoutes: (app) => registerGpcWellKnownRoute(app),
  jobs: [consentExpiryJob, consentWithdrawalErasureJob],
  commands: [consentCommand],
  // The check counters exist (at zero) from the start, not from the first check.
  metrics: (services) => void consentCheckCounters(services.metrics),
  provides: {
    consent: {
      create: (services) =>
        createConsentRuntime(services.config, services.database, services.logger, services.secrets.resolve),
      close: (runtime) => (runtime as ConsentRuntime).close(),
    },
  },
});
