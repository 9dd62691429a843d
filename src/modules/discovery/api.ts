/**
 * The discovery module's public surface: what the lead wires (routes, commands, jobs, migrations,
 * tables, config) and what workflows may call. Nothing else in this folder is imported from outside.
 */
export { discoveryRoutes } from './http/discovery-routes.ts';
export { discoverCommand, sampleSize as parseSampleSize } from './cli/discover-command.ts';
export { discoveryJobs, DISCOVERY_QUEUES, type DiscoveryRunPayload } from './jobs.ts';
export { discoveryMigrations } from './store/discovery-migrations.ts';
export type { DiscoveryTables } from './store/discovery-tables.ts';
export { discoveryConfigSchema, type DiscoveryConfig } from './config-schema.ts';
export {
  runDiscovery,
  type DiscoveryOutcome,
  type RunDiscoveryDeps,
  type RunDiscoveryInput,
} from './use-cases/run-discovery.ts';
export { checkDriftFindings, type CheckDriftInput } from './use-cases/check-drift.ts';
export { proposeDataMapChanges, type DataMapPatch } from './use-cases/propose-datamap-changes.ts';
export type {
  DiscoveryResult,
  CollectionDiscovery,
  ColumnDiscovery,
  Evidence,
} from './core/discovery-types.ts';
export type { DriftFinding, DataMapChange } from './core/drift.ts';
