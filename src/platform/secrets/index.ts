import { defineModule } from '../../kernel/module.ts';
import { secretsCommand } from './cli/secrets-command.ts';
import { secretRoutes } from './http/secret-routes.ts';
import type { SecretsServices } from './secrets-services.ts';
import { secretsMigrations } from './store/secrets-migrations.ts';
import type { SecretsTables } from './store/secrets-tables.ts';

/** Tenant secrets sealed by envelope encryption, and their rotation. */
export const secretsModule = defineModule<SecretsServices, SecretsTables>({
  name: 'secrets',
  tables: {} as SecretsTables,
  migrations: secretsMigrations,
  routes: secretRoutes,
  commands: [secretsCommand],
});
