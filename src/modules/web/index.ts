// The web module's manifest: the admin console and privacy center (served outside /v1, before
// authentication), their API under /v1 (privacy center, console), its table and config section.
import { defineModule } from '../../kernel/module.ts';
import type { WebServices } from './web-services.ts';
import { webConfigSchema, type WebConfig } from './config-schema.ts';
import { registerWebApps } from './http/web-apps-plugin.ts';
import { webRoutes } from './http/web-routes.ts';
import { webMigrations } from './store/web-migrations.ts';
import type { WebTables } from './store/web-tables.ts';

export const webModule = defineModule<WebServices, WebTables, 'web', WebConfig>({
  name: 'web',
  config: { key: 'web', schema: webConfigSchema },
  migrations: webMigrations,
  tables: {} as WebTables,
  routes: webRoutes,
  publicRoutes: (app, services) =>
    registerWebApps(app, { config: services.config.web, logger: services.logger }),
});

export type { WebTables };
