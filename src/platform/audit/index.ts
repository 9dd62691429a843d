import { defineModule } from '../../kernel/module.ts';
import { auditCheckpointJob, auditVerifyJob } from './audit-checkpoint-job.ts';
import { auditConfigSchema, type AuditConfig } from './audit-config-schema.ts';
import type { AuditServices } from './audit-services.ts';
import { auditCommand } from './cli/audit-command.ts';
import { auditRoutes } from './http/audit-routes.ts';
import { auditMigrations } from './store/audit-migrations.ts';
import type { AuditTables } from './store/audit-tables.ts';
import { registerAuditMetrics } from './audit-metrics.ts';

/** The tamper-evident audit log: Merkle tree, signed checkpoints, proofs, export and verification. */
export const auditModule = defineModule<AuditServices, AuditTables, 'audit', AuditConfig>({
  name: 'audit',
  config: { key: 'audit', schema: auditConfigSchema },
  tables: {} as AuditTables,
  migrations: auditMigrations,
  routes: auditRoutes,
  jobs: [auditCheckpointJob, auditVerifyJob],
  commands: [auditCommand],
  metrics: registerAuditMetrics,
});
