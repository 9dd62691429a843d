import type { StewardDatabase } from '../kernel/database/open-database.ts';
import type { KernelConfig } from '../kernel/config/kernel-config-schema.ts';
import type { JobEngine } from '../kernel/jobs/job-engine.ts';
import type { Logger } from '../kernel/logging/logger.ts';
import type { StewardMetrics } from '../kernel/metrics/steward-metrics.ts';
import type { AuditConfig } from './audit/audit-config-schema.ts';
import type { AuthConfig } from './auth/auth-config-schema.ts';
import type { ConnectorRegistry } from './connectors/connector-registry.ts';
import type { DatamapConfig } from './datamap/datamap-config-schema.ts';
import type { DataMapRegistry } from './datamap/datamap-types.ts';
import type { EventDispatcher } from './events/event-dispatcher.ts';
import type { EventsConfig } from './events/events-config-schema.ts';
import type { StewardSecrets } from './secrets/steward-secrets.ts';
import type { TaxonomyConfig } from './taxonomy/taxonomy-config-schema.ts';

/** The kernel's sections of steward.yaml and the platform services' own. */
export interface PlatformConfig extends KernelConfig {
  auth: AuthConfig;
  audit: AuditConfig;
  events: EventsConfig;
  datamap: DatamapConfig;
  taxonomy: TaxonomyConfig;
}

/**
 * What every module may use, created once per process by the app: the database (typed by the
 * tables the module may touch), the job engine, the logger, and the platform's long-lived services.
 * A module's own services type extends this with its config section and what it provides itself.
 */
export interface PlatformServices<Tables = unknown> {
  config: PlatformConfig;
  database: StewardDatabase<Tables>;
  jobs: JobEngine;
  logger: Logger;
  /** This process's Prometheus metrics: counters where things happen, gauges read at scrape time. */
  metrics: StewardMetrics;
  /** Each tenant's validated data map (systems, collections, fields, reference graph). */
  dataMaps: DataMapRegistry;
  /** Delivers the event outbox to webhooks and NATS; its loop runs in processes that work jobs. */
  events: EventDispatcher;
  /** Encrypted tenant secrets and the resolver of env:/file:/secret: references. */
  secrets: StewardSecrets;
  /** One pooled connector per tenant and source system of the data map, shared by requests and jobs. */
  connectors: ConnectorRegistry;
}
