// The DSR module's manifest: data subject requests (GDPR Art. 15–22, CCPA know/delete/correct/opt
// out) — intake, verification, deadlines, planning and execution across the data map's systems,
// access packages and the erased-subject journal.
import { dsrOwnDataRetention } from './use-cases/purge-own-data.ts';
import { defineModule } from '../../kernel/module.ts';
import { dsrCommand } from './cli/dsr-command.ts';
import { dsrConfigSchema, type DsrConfig } from './config-schema.ts';
import type { DsrServices } from './dsr-services.ts';
import { dsrRoutes } from './http/dsr-routes.ts';
import { dsrJobs } from './jobs.ts';
import { registerDsrMetrics } from './metrics.ts';
import { dsrMigrations } from './store/dsr-migrations.ts';
import type { DsrTables } from './store/dsr-tables.ts';
import { erasureJournalMigrations } from './store/erasure-journal-migrations.ts';
import type { ErasureJournalTables } from './store/erasure-journal-tables.ts';
import { mailOutboxMigrations } from './store/mail-outbox-migrations.ts';
import type { MailOutboxTables } from './store/mail-outbox-tables.ts';

export const dsrModule = defineModule<
  DsrServices,
  DsrTables & ErasureJournalTables & MailOutboxTables,
  'dsr',
  DsrConfig
>({
  name: 'dsr',
  config: { key: 'dsr', schema: dsrConfigSchema },
  tables: {} as DsrTables & ErasureJournalTables & MailOutboxTables,
  migrations: { ...dsrMigrations, ...erasureJournalMigrations, ...mailOutboxMigrations },
  routes: dsrRoutes,
  jobs: dsrJobs,
  commands: [dsrCommand],
  metrics: registerDsrMetrics,
  ownDataRetention: dsrOwnDataRetention,
});
