import { hostname } from 'node:os';
import type { CliEnvironment, CommandServicesOptions } from '../../kernel/cli/cli-context.ts';
import { loadConfig, type LoadedConfig } from '../../kernel/config/load-config.ts';
import { openDatabase } from '../../kernel/database/open-database.ts';
import type { Logger } from '../../kernel/logging/logger.ts';
import { redactPiiForLogs } from '../../platform/pii/index.ts';
import { prepareDemoSystems } from '../../workflows/prepare-demo.ts';
import { stewardConfigDefinition, type StewardConfig } from '../config/config-schema.ts';
import { closeServices, createServices, loadStewardDataMaps } from '../create-services.ts';
import type { Database } from '../database.ts';
import { createStewardJobEngine, migrateSteward } from '../start-steward.ts';

/**
 * The CLI's view of the app: steward.yaml checked against every module's schema, and the services a
 * command works with for its length — database (migrated), a job engine that only enqueues (workers
 * run the jobs), and with modules, the data maps, connectors and what modules provide.
 */
export const stewardCliEnvironment: CliEnvironment = {
  loadConfig: (options) => loadConfig(stewardConfigDefinition, options),
  loadDataMaps: (loaded, logger) =>
    loadStewardDataMaps((loaded as LoadedConfig<StewardConfig>).config, logger),
  async openServices(loaded, logger, options) {
    return openCommandServices((loaded as LoadedConfig<StewardConfig>).config, logger, options);
  },
  redactText: redactPiiForLogs,
};

async function openCommandServices(
  config: StewardConfig,
  logger: Logger,
  options: CommandServicesOptions,
): Promise<{ services: object; close(): Promise<void> }> {
  if (options.demo) config.demo.enabled = true;
  const database = await openDatabase<Database>(config.database);
  // A CLI process never runs jobs: one slot, and a name that says which process it is.
  const jobs = createStewardJobEngine(database, config, logger, {
    instanceName: `cli@${hostname()}:${process.pid}`,
    concurrency: 1,
  });
  try {
    await migrateSteward(database);
    if (options.preparesDemoShop && config.demo.enabled)
      await prepareDemoSystems(config, database.url, logger);
    if (options.enqueuesJobs ?? true) await jobs.start({ work: false });
    if (options.withModules === false) {
      return {
        services: { config, database, jobs, logger },
        async close() {
          await jobs.stop(1000);
          await database.close();
        },
      };
    }
    const services = await createServices(config, database, jobs, logger);
    return { services, close: () => closeServices(services, { graceMs: 1000 }) };
  } catch (error) {
    await jobs.stop(0).catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
