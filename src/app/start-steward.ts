import { hostname } from 'node:os';
import fp from 'fastify-plugin';
import { migrateToLatest } from '../kernel/database/migrate.ts';
import { openDatabase, type StewardDatabase } from '../kernel/database/open-database.ts';
import { probeDatabase } from '../kernel/database/probe-database.ts';
import { createApp } from '../kernel/http/create-app.ts';
import type { Readiness } from '../kernel/http/health-routes.ts';
import type { StewardApp } from '../kernel/http/steward-app.ts';
import { createJobEngine, type JobEngine } from '../kernel/jobs/job-engine.ts';
import type { Logger } from '../kernel/logging/logger.ts';
import { startMetricsServer, type MetricsServer } from '../kernel/metrics/metrics-server.ts';
import { createStewardMetrics, type StewardMetrics } from '../kernel/metrics/steward-metrics.ts';
import { stopTracing } from '../kernel/tracing/tracing.ts';
import { checkAuditKeys } from '../platform/audit/audit-keys.ts';
import { integrityDegradations } from '../platform/audit/integrity-findings.ts';
import authPlugin from '../platform/auth/auth-plugin.ts';
import type { DemoOwnerKey } from '../modules/demo/api.ts';
import { prepareDemoSystems, seedDemoModules } from '../workflows/prepare-demo.ts';
import type { AppServices } from './app-services.ts';
import type { StewardConfig } from './config/config-schema.ts';
import { closeServices, createServices } from './create-services.ts';
import { STEWARD_OPENAPI } from './openapi-options.ts';
import type { Database } from './database.ts';
import { stewardJobs, stewardMigrations, stewardRoutes } from './wire-modules.ts';

export type ProcessRole = 'serve' | 'worker';

export interface StewardRuntime {
  config: StewardConfig;
  database: StewardDatabase<Database>;
  jobs: JobEngine;
  logger: Logger;
  /** Set for `serve`. */
  app: StewardApp | undefined;
  /** The address the API listens on, for `serve`. */
  address: string | undefined;
  /** Where GET /metrics answers without credentials, when `metrics.port` is set. */
  metricsAddress: string | undefined;
  /** With the demo: the owner API key a newcomer uses (issued on the first start only). */
  demoOwnerKey: DemoOwnerKey | undefined;
  /** Graceful shutdown: stop taking traffic, drain requests and running jobs, close the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  role: ProcessRole;
  /** Called while the database is being waited for, so the CLI can say so. */
  onDatabaseRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /** Runs after migrations, before the API listens. */
  beforeListen?: (services: AppServices) => Promise<void>;
}

/** Migrates Steward's database with every module's migrations. */
export function migrateSteward(database: StewardDatabase<Database>) {
  return migrateToLatest(database.db, stewardMigrations());
}

/** A job engine knowing every module's queues. */
export function createStewardJobEngine(
  database: StewardDatabase<Database>,
  config: StewardConfig,
  logger: Logger,
  settings: { instanceName: string; concurrency?: number; metrics?: StewardMetrics },
): JobEngine {
  return createJobEngine(
    database,
    stewardJobs(),
    {
      concurrency: settings.concurrency ?? config.jobs.concurrency,
      pollIntervalSeconds: config.jobs.pollIntervalSeconds,
      instanceName: settings.instanceName,
      metrics: settings.metrics,
    },
    logger,
  );
}

/** The HTTP API with every module's routes, the platform's auth contract and a readiness probe. */
export function createStewardApp(services: AppServices, readiness: Readiness): Promise<StewardApp> {
  // A rewritten audit log leaves the instance serving, reported degraded until the log checks out again.
  readiness.degradations ??= () => integrityDegradations(services.database.db);
  return createApp({
    server: services.config.server,
    logger: services.logger,
    readiness,
    probeDatabase: () => probeDatabase(services.database.db),
    // fastify-plugin: the hooks must reach the /v1 routes registered after it, not stay encapsulated.
    authenticate: fp(async (app) => {
      await app.register(authPlugin, { services });
    }),
    openapi: STEWARD_OPENAPI,
    metrics: services.config.metrics.enabled
      ? {
          metrics: services.metrics,
          // On the API only to holders of metrics:read; with metrics.port, there instead, without credentials.
          routeConfig:
            services.config.metrics.port === undefined ? { permission: 'metrics:read' } : undefined,
        }
      : undefined,
    ...stewardRoutes(services),
  });
}

/** Opens the database, migrates it, starts the job engine and, for `serve`, the HTTP API. */
export async function startSteward(
  config: StewardConfig,
  logger: Logger,
  options: StartOptions,
): Promise<StewardRuntime> {
  // Before anything starts: on PostgreSQL the audit keys must be provisioned for all processes, not made per process.
  checkAuditKeys(config);
  const database = await openDatabase<Database>(config.database, { onRetry: options.onDatabaseRetry });
  let jobs: JobEngine | undefined;
  let app: StewardApp | undefined;
  let createdServices: AppServices | undefined;
  let metricsServer: MetricsServer | undefined;
  const withDemo = config.demo.enabled && options.role === 'serve';
  try {
    await migrateSteward(database);
    if (withDemo) await prepareDemoSystems(config, database.url, logger);
    const metrics = createStewardMetrics(config.metrics);
    jobs = createStewardJobEngine(database, config, logger, {
      instanceName: `${options.role}@${hostname()}:${process.pid}`,
      metrics,
    });
    const work = options.role === 'worker' || config.jobs.runInServe;
    const services = await createServices(config, database, jobs, logger, metrics);
    createdServices = services;
    const demoOwnerKey = withDemo ? await seedDemoModules(services, config, logger) : undefined;
    await jobs.start({ work, services });
    // The event dispatcher is a loop rather than a job: it must run continuously to deliver in order.
    if (work) services.events.start();
    await options.beforeListen?.(services);
    const readiness: Readiness = { ready: false };
    let address: string | undefined;
    if (options.role === 'serve') {
      app = await createStewardApp(services, readiness);
      address = await app.listen({ host: config.server.host, port: config.server.port });
    }
    if (config.metrics.enabled) {
      metrics.collectProcessMetrics();
      if (config.metrics.port !== undefined)
        metricsServer = await startMetricsServer(
          metrics,
          { host: config.metrics.host, port: config.metrics.port },
          logger,
        );
    }
    readiness.ready = true;
    const startedApp = app;
    const startedMetricsServer = metricsServer;
    let stopping: Promise<void> | undefined;
    return {
      config,
      database,
      jobs,
      logger,
      app,
      address,
      metricsAddress: metricsServer?.address,
      demoOwnerKey,
      stop() {
        stopping ??= (async () => {
          readiness.ready = false;
          await startedApp?.close();
          await startedMetricsServer?.close();
          await closeServices(services, { graceMs: config.server.shutdownGraceMs });
          // Last: the spans of the shutdown itself are sent too.
          await stopTracing();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await metricsServer?.close().catch(() => {});
    if (createdServices) await closeServices(createdServices, { graceMs: 0 }).catch(() => {});
    else {
      await jobs?.stop(0).catch(() => {});
      await database.close().catch(() => {});
    }
    throw error;
  }
}
