import type { RouteModule } from '../../../kernel/module.ts';
import type { AuthServices } from '../auth-services.ts';
import { registerApiKeyRoutes } from './api-key-routes.ts';
import { registerOidcRoutes } from './oidc-routes.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { registerTenantRoutes } from './tenant-routes.ts';
import { registerUserRoutes } from './user-routes.ts';

/** The auth domain's API: tenants, users, API keys, sessions and single sign-on. */
export const authRoutes: RouteModule<AuthServices> = (app, services) => {
  registerTenantRoutes(app, services);
  registerUserRoutes(app, services);
  registerApiKeyRoutes(app, services);
  registerSessionRoutes(app, services);
  registerOidcRoutes(app, services);
};
