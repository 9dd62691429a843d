import type { ConnectorRegistry } from '../../platform/connectors/connector-registry.ts';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { StewardConfig } from '../../app/config/config-schema.ts';
import type { DataMapRegistry } from '../../platform/datamap/datamap-types.ts';
import type { StewardDatabase } from '../database/open-database.ts';
import type { EventDispatcher } from '../../platform/events/event-dispatcher.ts';
import type { ConsentRuntime } from '../../modules/consent/use-cases/consent-runtime.ts';
import type { JobEngine } from '../jobs/job-engine.ts';
import type { Logger } from '../logging/logger.ts';
import type { StewardSecrets } from '../../platform/secrets/steward-secrets.ts';

/** The Fastify instance every domain's routes are registered on, typed by the zod schemas. */
export type StewardApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What route modules may use. Domains receive it; they never reach for globals. */
export interface AppServices {
  config: StewardConfig;
  database: StewardDatabase;
  jobs: JobEngine;
  logger: Logger;
  /** Each tenant's validated data map (systems, collections, fields, reference graph). */
  dataMaps: DataMapRegistry;
  /** Delivers the event outbox to webhooks and NATS; its loop runs in processes that work jobs. */
  events: EventDispatcher;
  /** Consent check cache (kept current across replicas), taxonomy and proof keys. */
  consent: ConsentRuntime;
  /** Encrypted tenant secrets and the resolver of env:/file:/secret: references. */
  secrets: StewardSecrets;
  /** One pooled connector per tenant and source system of the data map, shared by requests and jobs. */
  connectors: ConnectorRegistry;
}

/** A domain's routes: `export const dsrRoutes: RouteModule = (app, services) => { app.post(...) }`. */
export type RouteModule = (app: StewardApp, services: AppServices) => void | Promise<void>;
