// The masking module's manifest (issue 16): masked copies of data-map systems for development and
// testing — its tables, routes under /v1/masking, the copy job and its resume tick, `steward mask`.
import { defineModule } from '../../kernel/module.ts';
import { maskCommand } from './cli/mask-command.ts';
import { maskingRoutes } from './http/masking-routes.ts';
import { maskingJobs } from './jobs.ts';
import type { MaskingServices } from './masking-services.ts';
import { maskingMigrations } from './store/masking-migrations.ts';
import type { MaskingTables } from './store/masking-tables.ts';
import { maskingOwnDataRetention } from './use-cases/purge-own-data.ts';

export const maskingModule = defineModule<MaskingServices, MaskingTables>({
  name: 'masking',
  migrations: maskingMigrations,
  tables: {} as MaskingTables,
  routes: maskingRoutes,
  jobs: maskingJobs,
  commands: [maskCommand],
  ownDataRetention: maskingOwnDataRetention,
});

export type { MaskingTables };
