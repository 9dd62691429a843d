import type { RouteModule } from '../../../kernel/module.ts';
import type { WebServices } from '../web-services.ts';
import { registerConsoleRoutes } from './console-routes.ts';
import { registerPrivacyCenterRoutes } from './privacy-center-routes.ts';

/** The web module's API under /v1: the privacy center's public routes and the console's own. */
export const webRoutes: RouteModule<WebServices> = (app, services) => {
  registerPrivacyCenterRoutes(app, services, services.config.web);
  registerConsoleRoutes(app, services);
};
