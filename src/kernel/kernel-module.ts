import { coreMigrations } from './database/core-migrations.ts';
import type { CoreTables } from './database/core-tables.ts';
import { jobsCommand } from './jobs/jobs-command.ts';
import { probeJob } from './jobs/job-probe.ts';
import { jobsMigrations } from './jobs/jobs-migrations.ts';
import type { JobsTables } from './jobs/jobs-tables.ts';
import { jobsOwnDataRetention } from './jobs/purge-finished-jobs.ts';
import { defineModule } from './module.ts';

/** The kernel's own tables (tenants, job diagnostics), job (the load-sharing probe) and command (`steward jobs`). */
export const kernelModule = defineModule({
  name: 'kernel',
  tables: {} as CoreTables & JobsTables,
  migrations: { ...coreMigrations, ...jobsMigrations },
  jobs: [probeJob],
  commands: [jobsCommand],
  ownDataRetention: jobsOwnDataRetention,
});
