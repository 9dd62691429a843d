import type { StewardConfig } from './config/config-schema.ts';
import { ConnectorRegistry } from '../platform/connectors/connector-registry.ts';
import type { StewardDatabase } from '../kernel/database/open-database.ts';
import { loadDataMapFromConfig } from '../platform/datamap/load-datamap-from-config.ts';
import { demoDataMapPaths, useDemoShopConnection } from '../modules/demo/shop/demo-shop-settings.ts';
import { createEventDispatcher } from '../platform/events/event-dispatcher.ts';
import { createConsentRuntime } from '../modules/consent/use-cases/consent-runtime.ts';
import type { AppServices } from '../kernel/http/steward-app.ts';
import type { JobEngine } from '../kernel/jobs/job-engine.ts';
import type { Logger } from '../kernel/logging/logger.ts';
import { createStewardSecrets } from '../platform/secrets/steward-secrets.ts';

/**
 * Builds the services every route and job handler may use. The one place where domains' long-lived
 * objects (data-map registry, connector pool, caches) are created, for `serve`, `worker` and tests.
 */
export async function createServices(
  config: StewardConfig,
  database: StewardDatabase,
  jobs: JobEngine,
  logger: Logger,
): Promise<AppServices> {
  useDemoShopConnection(config, database.url);
  const dataMaps = loadDataMapFromConfig(config, logger, demoDataMapPaths(config));
  const secrets = createStewardSecrets(database.db, process.env, { database, logger });
  const events = createEventDispatcher(database.db, config.events, logger, secrets);
  const connectors = new ConnectorRegistry();
  const consent = await createConsentRuntime(config, database, logger, secrets.resolve);
  return { config, database, jobs, logger, dataMaps, events, secrets, connectors, consent };
}

/**
 * Stops what createServices started and closes the database, in dependency order: running jobs
 * first (they use everything else, and get `graceMs` to finish), then the event loop, the consent
 * listener and the source-system pools. Every step runs even when an earlier one fails, so a
 * failure never leaves the database open; the first failure is rethrown at the end.
 */
export async function closeServices(services: AppServices, options: { graceMs: number }): Promise<void> {
  const steps = [
    () => services.jobs.stop(options.graceMs),
    () => services.events.stop(),
    () => services.consent.close(),
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
