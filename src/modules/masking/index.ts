// The masking module's manifest (issue 16): what the app wires. Until the kernel's StewardModule
// type lands this is a plain object with the same fields; src/app lists it.
import { maskCommand } from './cli/mask-command.ts';
import { maskingRoutes } from './http/masking-routes.ts';
import { maskingJobs } from './jobs.ts';
import { maskingMigrations } from './store/masking-migrations.ts';
import type { MaskingTables } from './store/masking-tables.ts';

export const maskingModule = {
  name: 'masking',
  migrations: maskingMigrations,
  jobs: maskingJobs,
  routes: maskingRoutes,
  /** `steward mask …`; takes the app's `withCommandServices` so the module does not import the app. */
  command: maskCommand,
} as const;

export type { MaskingTables };
