import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { StewardConfig } from '../config/config-schema.ts';
import type { DataMapRegistry } from '../datamap/datamap-types.ts';
import type { StewardDatabase } from '../db/open-database.ts';
import type { JobEngine } from '../jobs/job-engine.ts';
import type { Logger } from '../logging/logger.ts';

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
}

/** A domain's routes: `export const dsrRoutes: RouteModule = (app, services) => { app.post(...) }`. */
export type RouteModule = (app: StewardApp, services: AppServices) => void | Promise<void>;
