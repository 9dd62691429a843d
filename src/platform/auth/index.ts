import { defineModule } from '../../kernel/module.ts';
import { authConfigSchema, type AuthConfig } from './auth-config-schema.ts';
import type { AuthServices } from './auth-services.ts';
import { apikeyCommand } from './cli/apikey-command.ts';
import { userCommand } from './cli/user-command.ts';
import { authRoutes } from './http/auth-routes.ts';
import { authMigrations } from './store/auth-migrations.ts';
import type { AuthTables } from './store/auth-tables.ts';

/** Users, roles, tenants, API keys, sessions and OIDC sign-in; the auth contract's implementation is `authPlugin`. */
export const authModule = defineModule<AuthServices, AuthTables, 'auth', AuthConfig>({
  name: 'auth',
  config: { key: 'auth', schema: authConfigSchema },
  tables: {} as AuthTables,
  migrations: authMigrations,
  routes: authRoutes,
  commands: [userCommand, apikeyCommand],
});
