import type { StewardConfig } from './config/config-schema.ts';
import { migrateToLatest } from '../kernel/database/migrate.ts';
import { openDatabase, type StewardDatabase } from '../kernel/database/open-database.ts';
import { createApp } from '../kernel/http/create-app.ts';
import type { Readiness } from '../kernel/http/health-routes.ts';
import type { AppServices, StewardApp } from '../kernel/http/steward-app.ts';
import { createJobEngine, type JobEngine } from '../kernel/jobs/job-engine.ts';
import { allJobDefinitions } from './job-registry.ts';
import type { Logger } from '../kernel/logging/logger.ts';
import { hostname } from 'node:os';
import { closeServices, createServices } from './create-services.ts';
import { prepareDemoShop } from '../modules/demo/shop/prepare-demo-shop.ts';
import { DEMO_SHOP_SYSTEM } from '../modules/demo/shop/demo-shop-settings.ts';
import { seedDemoSystemConsents } from '../modules/consent/use-cases/seed-demo-consents.ts';
import { checkAuditKeys } from '../platform/audit/audit-keys.ts';
import { type DemoOwnerKey, ensureDemoOwnerKey } from '../modules/demo/demo-owner-key.ts';

export type ProcessRole = 'serve' | 'worker';

export interface StewardRuntime {
  config: StewardConfig;
  database: StewardDatabase;
  jobs: JobEngine;
  logger: Logger;
  /** Set for `serve`. */
  app: StewardApp | undefined;
  /** The address the API listens on, for `serve`. */
  address: string | undefined;
  /** With the demo: the owner API key a newcomer uses (issued on the first start only). */
  demoOwnerKey: DemoOwnerKey | undefined;
  /** Graceful shutdown: stop taking traffic, drain requests and running jobs, close the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  role: ProcessRole;
  /** Called while the database is being waited for, so the CLI can say so. */
  onDatabaseRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /** Runs after migrations, before the API listens (the demo seeds its shop here). */
  beforeListen?: (services: AppServices) => Promise<void>;
}

/** Opens the database, migrates it, starts the job engine and, for `serve`, the HTTP API. */
export async function startSteward(
  config: StewardConfig,
  logger: Logger,
  options: StartOptions,
): Promise<StewardRuntime> {
  // Before anything starts: on PostgreSQL the audit keys must be provisioned for all processes, not made per process.
  checkAuditKeys(config);
  const database = await openDatabase(config.database, { onRetry: options.onDatabaseRetry });
  let jobs: JobEngine | undefined;
  let app: StewardApp | undefined;
  let createdServices: AppServices | undefined;
  try {
    await migrateToLatest(database.db);
    // Before createServices: the demo shop's data map is loaded with the user's and must exist by then.
    if (config.demo.enabled && options.role === 'serve') await prepareDemoShop(config, database.url, logger);
    jobs = createJobEngine(
      database,
      allJobDefinitions(),
      {
        concurrency: config.jobs.concurrency,
        pollIntervalSeconds: config.jobs.pollIntervalSeconds,
        instanceName: `${options.role}@${hostname()}:${process.pid}`,
      },
      logger,
    );
    const work = options.role === 'worker' || config.jobs.runInServe;
    const services: AppServices = await createServices(config, database, jobs, logger);
    createdServices = services;
    // The demo's notices and consents of the shop's customers: written on the first start only.
    if (config.demo.enabled && options.role === 'serve')
      logger.info(await seedDemoSystemConsents(services, DEMO_SHOP_SYSTEM), 'demo consents ready');
    const demoOwnerKey =
      config.demo.enabled && options.role === 'serve'
        ? await ensureDemoOwnerKey(database.db, config.demo.dataDir)
        : undefined;
    await jobs.start({ work, services });
    // The event dispatcher is a loop rather than a job: it must run continuously to deliver in order.
    if (work) services.events.start();
    await options.beforeListen?.(services);
    const readiness: Readiness = { ready: false };
    let address: string | undefined;
    if (options.role === 'serve') {
      app = await createApp(services, readiness);
      address = await app.listen({ host: config.server.host, port: config.server.port });
    }
    readiness.ready = true;
    const startedApp = app;
    let stopping: Promise<void> | undefined;
    return {
      config,
      database,
      jobs,
      logger,
      app,
      address,
      demoOwnerKey,
      stop() {
        stopping ??= (async () => {
          readiness.ready = false;
          await startedApp?.close();
          await closeServices(services, { graceMs: config.server.shutdownGraceMs });
        })();
        return stopping;
      },
    };
  } catch (error) {
    await app?.close().catch(() => {});
    if (createdServices) await closeServices(createdServices, { graceMs: 0 }).catch(() => {});
    else {
      await jobs?.stop(0).catch(() => {});
      await database.close().catch(() => {});
    }
    throw error;
  }
}
