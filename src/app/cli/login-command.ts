import { Command } from 'commander';
import { cliContext } from '../../kernel/cli/cli-context.ts';
import {
  normalisedServer,
  profilesPath,
  readProfiles,
  writeProfiles,
} from '../../kernel/cli/cli-profiles.ts';
import { readSecretLine } from '../../kernel/cli/read-secret-line.ts';
import { remoteApi } from '../../kernel/cli/remote-api.ts';
import { InvalidInput, NotFound } from '../../kernel/errors/domain-error.ts';

interface LoginOptions {
  apiKeyStdin?: boolean;
}

/**
 * `steward login --server URL [--profile NAME]`: checks an API key against the server (GET
 * /v1/auth/me) and saves server and key as a profile, so later commands need only `--server URL`
 * or `--profile NAME`. The key comes from STEWARD_API_KEY, stdin (--api-key-stdin) or a hidden prompt.
 */
export function loginCommand(): Command {
  return new Command('login')
    .description('save a server and an API key for remote mode (checked against the server first)')
    .option('--api-key-stdin', 'read the API key from stdin instead of STEWARD_API_KEY or a prompt')
    .addHelpText(
      'after',
      '\nExample:\n  steward login --server https://steward.example.com --profile prod\n  steward --profile prod dsr status',
    )
    .action(async (options: LoginOptions, command: Command) => {
      const context = cliContext(command);
      const { server: given, profile = 'default' } = context.options;
      const path = profilesPath();
      const profiles = readProfiles(path);
      const serverUrl = given ?? process.env.STEWARD_SERVER ?? profiles[profile]?.server;
      if (!serverUrl)
        throw new InvalidInput(
          'cli.server_missing',
          'Say which server: steward login --server https://steward.example.com',
        );
      const server = normalisedServer(serverUrl);
      const apiKey = options.apiKeyStdin
        ? await readSecretLine(process.stdin)
        : (process.env.STEWARD_API_KEY ?? (await readSecretLine(process.stdin, `API key for ${server}: `)));
      if (!apiKey)
        throw new InvalidInput(
          'cli.api_key_missing',
          'No API key given. Create one with `steward apikey create --role <role>`.',
        );
      const { actor } = await remoteApi(server, apiKey).call(
        remoteApi(server, apiKey).client.GET('/v1/auth/me'),
      );
      writeProfiles(path, { ...profiles, [profile]: { server, apiKey } });
      context.print(
        `Logged in to ${server} as ${actor.kind} ${actor.id} in tenant ${actor.tenantId} (${actor.permissions.length} permissions); saved as profile "${profile}" in ${path}.\n` +
          `Use it with: steward --profile ${profile} <command>  (or --server ${server})`,
        { server, profile, path, actor },
      );
    });
}

/** `steward logout [--profile NAME]`: forgets a saved profile (the key itself stays valid until revoked). */
export function logoutCommand(): Command {
  return new Command('logout')
    .description('forget a profile saved by `steward login` (revoke the key with `steward apikey revoke`)')
    .action((_options: object, command: Command) => {
      const context = cliContext(command);
      const profile = context.options.profile ?? 'default';
      const path = profilesPath();
      const profiles = readProfiles(path);
      if (!profiles[profile])
        throw new NotFound('cli.profile_unknown', `There is no profile "${profile}" in ${path}.`);
      const { [profile]: _forgotten, ...rest } = profiles;
      writeProfiles(path, rest);
      context.print(`Forgot profile "${profile}" (${path}).`, { profile, path });
    });
}
