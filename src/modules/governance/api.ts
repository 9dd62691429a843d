/**
 * The governance module's public surface: what the app wires (routes, commands, jobs, migrations,
 * tables, config) and what other code may call (the demo seed). Nothing else is imported from
 * outside the module.
 */
export { governanceRoutes, GOVERNANCE_PERMISSIONS } from './http/governance-routes.ts';
export { ropaCommand } from './cli/ropa-command.ts';
export { breachCommand } from './cli/breach-command.ts';
export { governanceCommand } from './cli/governance-command.ts';
export { governanceJobs } from './jobs.ts';
export { governanceMigrations } from './store/governance-migrations.ts';
export type { GovernanceTables } from './store/governance-tables.ts';
export { governanceConfigSchema, type GovernanceConfig } from './config-schema.ts';
export { seedGovernanceDemo } from './use-cases/seed-governance-demo.ts';
export {
  runComplianceCheck,
  checkComplianceFindings,
  type ComplianceReport,
} from './use-cases/check-compliance.ts';
export type { GovernanceServices, GovernanceDatabase } from './use-cases/governance-deps.ts';
