// The governance module's manifest (issue 14): records of processing (Art. 30), transfers
// (Chapter V), processors (Art. 28), DPIA screening and DPIAs (Art. 35/36), the breach register with
// its 72-hour clock (Art. 33/34) and the compliance check — its tables, routes under /v1/governance,
// the breach reminder job, `steward ropa`, `steward breach` and `steward governance`.
// Its compliance check is one source of `steward datamap check` (src/workflows/datamap-check.ts).
import { defineModule } from '../../kernel/module.ts';
import { breachCommand } from './cli/breach-command.ts';
import { governanceCommand } from './cli/governance-command.ts';
import { ropaCommand } from './cli/ropa-command.ts';
import { governanceConfigSchema, type GovernanceConfig } from './config-schema.ts';
import { governanceRoutes } from './http/governance-routes.ts';
import { governanceJobs } from './jobs.ts';
import { governanceMigrations } from './store/governance-migrations.ts';
import type { GovernanceTables } from './store/governance-tables.ts';
import type { GovernanceServices } from './use-cases/governance-deps.ts';
import { governanceOwnDataRetention } from './use-cases/purge-own-data.ts';

export const governanceModule = defineModule<
  GovernanceServices,
  GovernanceTables,
  'governance',
  GovernanceConfig
>({
  name: 'governance',
  config: { key: 'governance', schema: governanceConfigSchema },
  migrations: governanceMigrations,
  tables: {} as GovernanceTables,
  routes: governanceRoutes,
  jobs: governanceJobs,
  commands: [ropaCommand, breachCommand, governanceCommand],
  ownDataRetention: governanceOwnDataRetention,
});

export type { GovernanceTables };
