import type { RouteModule } from './steward-app.ts';
import { consentRoutes } from '../consent/consent-routes.ts';
import { eventsRoutes } from '../events/events-routes.ts';
import { auditRoutes } from '../audit/audit-routes.ts';
import { authRoutes } from '../auth/auth-routes.ts';
import { secretRoutes } from '../secrets/secret-routes.ts';
import { datamapRoutes } from '../datamap/datamap-routes.ts';
import { dsrRoutes } from '../dsr/dsr-routes.ts';
import { retentionRoutes } from '../retention/retention-routes.ts';

/**
 * Every domain's routes, mounted under /v1. A domain adds its module here; this list and
 * `src/jobs/job-registry.ts` are the two places that wire domains into the service.
 */
export const routeModules: RouteModule[] = [authRoutes, secretRoutes, auditRoutes, dsrRoutes, datamapRoutes, consentRoutes, eventsRoutes, retentionRoutes];
