import { Command, Option } from 'commander';
import { cliContext } from '../../../kernel/cli/cli-context.ts';
import { createApiKey } from '../api-keys.ts';
import { OPERATOR_ACTOR, withOperatorDatabase } from '../operator-database.ts';
import type { StewardDatabase } from '../../../kernel/database/open-database.ts';
import type { AuthDatabase } from '../store/auth-database.ts';
import { parseRoleName, permissionsOfRoles, ROLE_NAMES } from '../roles.ts';
import { assertTenantId, ensureTenant } from '../tenants.ts';
import { addTenantMember } from '../users.ts';

/** `steward user create`: how the first owner gets in, and how an operator adds people without the API. */
export function userCommand(): Command {
  return new Command('user').description('manage the people who use Steward').addCommand(
    new Command('create')
      .description('add a person to a tenant with roles (the first owner: --role owner --api-key)')
      .requiredOption('--email <email>', "the person's sign-in email (as the OpenID provider reports it)")
      .addOption(
        new Option('--role <role...>', 'role(s) in the tenant').choices(ROLE_NAMES).makeOptionMandatory(),
      )
      .option(
        '--tenant <id>',
        'tenant to add them to (created if missing; with --server, it must exist)',
        'default',
      )
      .option('--api-key', 'also print an API key with the same roles, valid for 30 days (shown once)')
      .action(
        async (
          options: { email: string; role: string[]; tenant: string; apiKey?: boolean },
          command: Command,
        ) => {
          const context = cliContext(command);
          const roles = options.role.map(parseRoleName);
          assertTenantId(options.tenant);
          const remote = context.remote();
          const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
          const name = `bootstrap key (${roles.join(', ')})`;
          // Remote: the server's tenant (it is not created) and the caller's key decide what may be granted.
          const { user, issued } = remote
            ? {
                user: (
                  await remote.call(
                    remote.client.POST('/v1/users', { body: { email: options.email, roles } }),
                  )
                ).user,
                issued: options.apiKey
                  ? await remote
                      .call(
                        remote.client.POST('/v1/apikeys', {
                          body: {
                            name,
                            permissions: [...permissionsOfRoles(roles)],
                            expiresAt: expiresAt.toISOString(),
                          },
                        }),
                      )
                      .then(({ apiKey, key }) => ({ apiKey, token: key }))
                  : undefined,
              }
            : await withOperatorDatabase(context, async ({ db }: StewardDatabase<AuthDatabase>) => {
                await ensureTenant(db, options.tenant);
                const added = await addTenantMember(db, {
                  tenantId: options.tenant,
                  email: options.email,
                  roles,
                  actor: OPERATOR_ACTOR,
                });
                return {
                  user: added,
                  issued: options.apiKey
                    ? await createApiKey(db, {
                        tenantId: options.tenant,
                        name,
                        permissions: [...permissionsOfRoles(roles)],
                        expiresAt,
                        actor: OPERATOR_ACTOR,
                      })
                    : undefined,
                };
              });
          const lines = [`Added user ${user.id} to tenant ${options.tenant} as ${roles.join(', ')}.`];
          if (issued)
            lines.push(
              `API key (shown once, store it now): ${issued.token}`,
              `Try: curl -H "Authorization: Bearer ${issued.token}" ${remote?.server ?? 'http://127.0.0.1:8080'}/v1/auth/me`,
            );
          context.print(lines.join('\n'), {
            user,
            apiKey: issued ? { ...issued.apiKey, key: issued.token } : undefined,
          });
        },
      ),
  );
}
