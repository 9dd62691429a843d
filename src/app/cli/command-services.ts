import { hostname } from 'node:os';
import type { StewardConfig } from '../config/config-schema.ts';
import { migrateToLatest } from '../../kernel/database/migrate.ts';
import { openDatabase } from '../../kernel/database/open-database.ts';
import { prepareDemoShop } from '../../modules/demo/shop/prepare-demo-shop.ts';
import type { AppServices } from '../../kernel/http/steward-app.ts';
import { createJobEngine, type JobEngine } from '../../kernel/jobs/job-engine.ts';
import { allJobDefinitions } from '../job-registry.ts';
import type { Logger } from '../../kernel/logging/logger.ts';
import { closeServices, createServices } from '../create-services.ts';
import type { CliContext } from '../../kernel/cli/cli-context.ts';

type OpenedDatabase = Awaited<ReturnType<typeof openDatabase>>;

/** A job engine for a CLI process: it never runs jobs, so one slot and a name that says which process it is. */
function createCliJobEngine(database: OpenedDatabase, config: StewardConfig, logger: Logger): JobEngine {
  return createJobEngine(
    database,
    allJobDefinitions(),
    {
      concurrency: 1,
      pollIntervalSeconds: config.jobs.pollIntervalSeconds,
      instanceName: `cli@${hostname()}:${process.pid}`,
    },
    logger,
  );
}

/** Runs `work` with a migrated database and a job engine that enqueues and reads but runs no jobs, then closes both. */
export async function withCommandJobEngine<T>(
  config: StewardConfig,
  logger: Logger,
  work: (jobs: JobEngine, database: OpenedDatabase) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(config.database);
  const jobs = createCliJobEngine(database, config, logger);
  try {
    await migrateToLatest(database.db);
    await jobs.start({ work: false });
    return await work(jobs, database);
  } finally {
    await jobs.stop(1000);
    await database.close();
  }
}

export interface CommandServicesOptions {
  /** `--demo`: turn the demo on for this command, as `steward serve --demo` does. */
  demo?: boolean;
  /** True for commands that work on the systems' data: with the demo on, the demo shop is created on first use. */
  preparesDemoShop?: boolean;
  /** False for commands that enqueue no jobs: the engine is then not started (no queue set-up). Default true. */
  enqueuesJobs?: boolean;
}

/**
 * The services of a worker-less process for the length of a command: database (migrated), a job
 * engine that only enqueues (the workers run the jobs), data maps and connectors; all closed after.
 */
export async function withCommandServices<T>(
  context: CliContext,
  options: CommandServicesOptions,
  work: (services: AppServices) => Promise<T>,
): Promise<T> {
  const { config } = context.loadConfig();
  if (options.demo) config.demo.enabled = true;
  const logger = context.logger();
  const database = await openDatabase(config.database);
  if (options.preparesDemoShop && config.demo.enabled)
    await prepareDemoShop(config, database.url, logger).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
  const jobs = createCliJobEngine(database, config, logger);
  let services: AppServices | undefined;
  try {
    await migrateToLatest(database.db);
    if (options.enqueuesJobs ?? true) await jobs.start({ work: false });
    services = await createServices(config, database, jobs, logger);
    return await work(services);
  } finally {
    if (services) await closeServices(services, { graceMs: 1000 });
    else {
      await jobs.stop(1000);
      await database.close();
    }
  }
}
