import { Command, Option } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeySummary } from '../api-keys.ts';
import { OPERATOR_ACTOR, withOperatorDatabase } from '../operator-database.ts';
import type { StewardDatabase } from '../../../kernel/database/open-database.ts';
import type { AuthDatabase } from '../store/auth-database.ts';
import { PERMISSIONS, type Permission } from '../permissions.ts';
import { parseRoleName, permissionsOfRoles, ROLE_NAMES } from '../roles.ts';
import { assertTenantId, ensureTenant } from '../tenants.ts';

/** `steward apikey create|list|revoke`: service credentials, managed by the operator. */
export function apikeyCommand(): Command {
  const tenantOption = () => new Option('--tenant <id>', 'tenant of the key').default('default');
  return new Command('apikey')
    .description('manage API keys for services')
    .addCommand(
      new Command('create')
        .description('create an API key (printed once; only its hash is stored)')
        .requiredOption('--name <name>', 'what the key is for')
        .addOption(new Option('--role <role>', "give it a role's permissions").choices(ROLE_NAMES))
        .addOption(
          new Option('--permission <permission...>', 'or exactly these permissions').choices(PERMISSIONS),
        )
        .addOption(tenantOption())
        .option('--expires-in-days <days>', 'lifetime in days (0 = never expires)', '365')
        .action(
          async (
            options: {
              name: string;
              role?: string;
              permission?: Permission[];
              tenant: string;
              expiresInDays: string;
            },
            command: Command,
          ) => {
            const context = cliContext(command);
            const days = Number(options.expiresInDays);
            if (!Number.isInteger(days) || days < 0 || days > 3650)
              throw new InvalidInput(
                'apikeys.bad_lifetime',
                '--expires-in-days must be a whole number from 0 to 3650.',
              );
            if (!options.role && !options.permission)
              throw new InvalidInput('apikeys.no_permissions', 'Give --role or --permission.');
            assertTenantId(options.tenant);
            const permissions = new Set<Permission>([
              ...(options.role ? permissionsOfRoles([parseRoleName(options.role)]) : []),
              ...(options.permission ?? []),
            ]);
            const remote = context.remote();
            if (remote) {
              if (days === 0)
                throw new InvalidInput(
                  'apikeys.never_expires_remote',
                  'Keys made through the API expire: give --expires-in-days from 1 to 3650.',
                );
              const { apiKey, key } = await remote.call(
                remote.client.POST('/v1/apikeys', {
                  body: {
                    name: options.name,
                    permissions: [...permissions],
                    expiresAt: new Date(Date.now() + days * 24 * 3600 * 1000).toISOString(),
                  },
                }),
              );
              return context.print(
                `Created API key ${apiKey.id} (${apiKey.prefix}…) in tenant ${apiKey.tenantId}.\nKey (shown once, store it now): ${key}`,
                { apiKey, key },
              );
            }
            await withOperatorDatabase(context, async ({ db }: StewardDatabase<AuthDatabase>) => {
              await ensureTenant(db, options.tenant);
              const { apiKey, token } = await createApiKey(db, {
                tenantId: options.tenant,
                name: options.name,
                permissions: [...permissions],
                expiresAt: days === 0 ? null : new Date(Date.now() + days * 24 * 3600 * 1000),
                actor: OPERATOR_ACTOR,
              });
              context.print(
                `Created API key ${apiKey.id} (${apiKey.prefix}…) in tenant ${apiKey.tenantId}.\nKey (shown once, store it now): ${token}`,
                { apiKey, key: token },
              );
            });
          },
        ),
    )
    .addCommand(
      new Command('list')
        .description('list the API keys of a tenant (never the keys themselves)')
        .addOption(tenantOption())
        .action(async (options: { tenant: string }, command: Command) => {
          const context = cliContext(command);
          assertTenantId(options.tenant);
          const remote = context.remote();
          const keys = remote
            ? (await remote.call(remote.client.GET('/v1/apikeys'))).apiKeys
            : await withOperatorDatabase(context, ({ db }: StewardDatabase<AuthDatabase>) =>
                listApiKeys(db, options.tenant),
              );
          context.print(
            keys.length ? keys.map(describeKey).join('\n') : `No API keys in tenant ${options.tenant}.`,
            { apiKeys: keys },
          );
        }),
    )
    .addCommand(
      new Command('revoke')
        .description('revoke an API key at once')
        .argument('<id>', 'the key id (from `steward apikey list`)')
        .addOption(tenantOption())
        .action(async (id: string, options: { tenant: string }, command: Command) => {
          const context = cliContext(command);
          assertTenantId(options.tenant);
          const remote = context.remote();
          const apiKey = remote
            ? (
                await remote.call(
                  remote.client.DELETE('/v1/apikeys/{apiKeyId}', { params: { path: { apiKeyId: id } } }),
                )
              ).apiKey
            : await withOperatorDatabase(context, ({ db }: StewardDatabase<AuthDatabase>) =>
                revokeApiKey(db, { tenantId: options.tenant, id, actor: OPERATOR_ACTOR }),
              );
          context.print(`Revoked API key ${apiKey.id} (${apiKey.prefix}…).`, { apiKey });
        }),
    );
}

function describeKey(key: ApiKeySummary): string {
  const state = key.revokedAt
    ? 'revoked'
    : key.expiresAt && Date.parse(key.expiresAt) <= Date.now()
      ? 'expired'
      : 'active';
  return `${key.id}  ${key.prefix}…  ${state.padEnd(7)}  ${key.name}  last used ${key.lastUsedAt ?? 'never'}  expires ${key.expiresAt ?? 'never'}`;
}
