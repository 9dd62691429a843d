import type { RouteModule } from '../kernel/http/steward-app.ts';
import { consentRoutes } from '../modules/consent/http/consent-routes.ts';
import { eventsRoutes } from '../platform/events/http/events-routes.ts';
import { auditRoutes } from '../platform/audit/http/audit-routes.ts';
import { authRoutes } from '../platform/auth/http/auth-routes.ts';
import { secretRoutes } from '../platform/secrets/http/secret-routes.ts';
import { datamapRoutes } from '../platform/datamap/http/datamap-routes.ts';
import { dsrRoutes } from '../modules/dsr/http/dsr-routes.ts';
import { retentionRoutes } from '../modules/retention/http/retention-routes.ts';
import { webRoutes } from '../modules/web/http/web-routes.ts';

/**
 * Every domain's routes, mounted under /v1. A domain adds its module here; this list and
 * `src/jobs/job-registry.ts` are the two places that wire domains into the service.
 */
export const routeModules: RouteModule[] = [authRoutes, secretRoutes, auditRoutes, dsrRoutes, datamapRoutes, consentRoutes, eventsRoutes, retentionRoutes, webRoutes];
