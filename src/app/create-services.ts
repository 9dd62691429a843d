import type { StewardDatabase } from '../kernel/database/open-database.ts';
import type { JobEngine } from '../kernel/jobs/job-engine.ts';
import type { Logger } from '../kernel/logging/logger.ts';
import { createStewardMetrics, type StewardMetrics } from '../kernel/metrics/steward-metrics.ts';
import { ConnectorRegistry } from '../platform/connectors/connector-registry.ts';
import { loadDataMapFromConfig } from '../platform/datamap/load-datamap-from-config.ts';
import type { DataMapRegistry } from '../platform/datamap/datamap-types.ts';
import { createEventDispatcher } from '../platform/events/event-dispatcher.ts';
import { createStewardSecrets } from '../platform/secrets/steward-secrets.ts';
import { demoDataMapPaths, demoFlowFiles, useDemoShopConnection } from '../modules/demo/api.ts';
import type { AppServices } from './app-services.ts';
import type { StewardConfig } from './config/config-schema.ts';
import type { Database } from './database.ts';
import { provideModuleServices, registerModuleMetrics, stewardOwnDataPurgers } from './wire-modules.ts';
import { subjectConsentForDsr } from '../workflows/subject-consent-for-dsr.ts';
import { withdrawalErasureRequests } from '../workflows/withdrawal-erasure.ts';
import { requesterMailForWeb, subjectRequestsForWeb } from '../workflows/requests-for-web.ts';
import { consentLedgerForWeb } from '../workflows/consent-for-web.ts';
import { retentionRunsForWeb } from '../workflows/retention-runs-for-web.ts';
import { routeDemoMailToOutbox } from '../workflows/demo-mail-outbox.ts';

const closeProvided = new WeakMap<AppServices, () => Promise<void>>();

/**
 * Builds the services every route, job and command may use: the platform's long-lived objects
 * (data-map registry, connector pool, secrets, event dispatcher), then what modules provide (the
 * consent runtime). The one place they are created, for `serve`, `worker`, CLI commands and tests.
 */
export async function createServices(
  config: StewardConfig,
  database: StewardDatabase<Database>,
  jobs: JobEngine,
  logger: Logger,
  metrics: StewardMetrics = createStewardMetrics(config.metrics),
): Promise<AppServices> {
  // The demo's contributions: its shop's data map and retention flow, reached on Steward's own server.
  useDemoShopConnection(config, database.url);
  routeDemoMailToOutbox(config);
  const dataMaps = loadStewardDataMaps(config, logger);
  const secrets = createStewardSecrets(database.db, process.env, { database, logger });
  const events = createEventDispatcher(database.db, config.events, logger, secrets);
  const connectors = new ConnectorRegistry();
  // Bound lazily: the ports need the finished services object, which includes them.
  const built: { services?: AppServices } = {};
  const services = () => built.services!;
  const platform = {
    config,
    database,
    jobs,
    logger,
    metrics,
    dataMaps,
    events,
    secrets,
    connectors,
    retentionFlowFiles: demoFlowFiles(config),
    ownDataPurgers: stewardOwnDataPurgers(services),
    // Modules' needs of each other, met through workflows (they never import each other).
    subjectConsent: subjectConsentForDsr(services),
    erasureRequests: withdrawalErasureRequests(services),
    subjectRequests: subjectRequestsForWeb(services),
    requesterMail: requesterMailForWeb(services),
    consentLedger: consentLedgerForWeb(services),
    retentionRuns: retentionRunsForWeb(services),
  };
  const { provided, close } = await provideModuleServices(platform);
  const all = { ...platform, ...provided } as unknown as AppServices;
  built.services = all;
  registerModuleMetrics(all);
  closeProvided.set(all, close);
  return all;
}

/** The data maps Steward runs with: the user's files and the ones modules add (the demo shop's). */
export function loadStewardDataMaps(config: StewardConfig, logger: Logger | undefined): DataMapRegistry {
  return loadDataMapFromConfig(config, logger, demoDataMapPaths(config));
}

/**
 * Stops what createServices started and closes the database, in dependency order: running jobs
 * first (they use everything else, and get `graceMs` to finish), then the event loop, what modules
 * provided and the source-system pools. Every step runs even when an earlier one fails, so a
 * failure never leaves the database open; the first failure is rethrown at the end.
 */
export async function closeServices(services: AppServices, options: { graceMs: number }): Promise<void> {
  const steps = [
    () => services.jobs.stop(options.graceMs),
    () => services.events.stop(),
    () => closeProvided.get(services)?.() ?? Promise.resolve(),
    () => services.connectors.closeAll(),
    () => services.database.close(),
  ];
  let failure: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
