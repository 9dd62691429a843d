import {
  createStewardClient,
  StewardApiError,
  unwrap,
  type CallResult,
  type StewardClient,
} from '#steward-sdk';
import {
  Conflict,
  type DomainError,
  Forbidden,
  InvalidInput,
  NotFound,
  PayloadTooLarge,
  UnsupportedMediaType,
  TooManyRequests,
  Unauthenticated,
  Unavailable,
} from '../errors/domain-error.ts';
import { STEWARD_VERSION } from '../version.ts';
import { normalisedServer, profilesPath, readProfiles, type CliProfile } from './cli-profiles.ts';

export type { StewardClient } from '#steward-sdk';

/**
 * The CLI's remote mode: the Steward API of a running deployment, reached with an API key through
 * the SDK. Commands with an API equivalent call it instead of opening the database, so they work
 * against a deployment, are limited by the key's roles and are audited as that key.
 */
export interface RemoteApi {
  /** The server's base URL, without /v1. */
  server: string;
  /** The SDK's typed client: `api.client.GET('/v1/requests', …)`. */
  client: StewardClient;
  /** The data of a call, or the server's problem as a DomainError (one line and an exit code). */
  call<T>(request: Promise<CallResult<T>>): Promise<T>;
}

/** Where remote mode gets its settings: the global options and the environment. */
export interface RemoteSelection {
  server?: string | undefined;
  profile?: string | undefined;
  /** The tenant to act in, when not the key's own. */
  tenant?: string | undefined;
}

/**
 * Remote mode is on with `--server URL` (or STEWARD_SERVER) or `--profile NAME` (or STEWARD_PROFILE).
 * The API key is STEWARD_API_KEY, else the one `steward login` saved for that server or profile.
 */
export function resolveRemoteApi(
  selection: RemoteSelection,
  env: NodeJS.ProcessEnv = process.env,
): RemoteApi | undefined {
  const serverOption = selection.server ?? env.STEWARD_SERVER;
  const profileName = selection.profile ?? env.STEWARD_PROFILE;
  if (!serverOption && !profileName) return undefined;
  const path = profilesPath(env);
  const profiles = readProfiles(path);
  let profile: CliProfile | undefined;
  if (profileName) {
    profile = profiles[profileName];
    if (!profile)
      throw new InvalidInput(
        'cli.profile_unknown',
        `There is no profile "${profileName}" in ${path}. Save one with \`steward login --server URL --profile ${profileName}\`.`,
      );
  }
  const server = normalisedServer(serverOption ?? profile!.server);
  profile ??= Object.values(profiles).find((saved) => normalisedServer(saved.server) === server);
  const apiKey = env.STEWARD_API_KEY ?? profile?.apiKey;
  if (!apiKey)
    throw new Unauthenticated(
      'cli.api_key_missing',
      `No API key for ${server}: set STEWARD_API_KEY or run \`steward login --server ${server}\`.`,
    );
  return remoteApi(server, apiKey, selection.tenant ?? profile?.tenant);
}

/** The API of `server` with `apiKey`; calls that fail become DomainErrors. */
export function remoteApi(server: string, apiKey: string, tenant?: string): RemoteApi {
  const client = createStewardClient({
    baseUrl: server,
    apiKey,
    ...(tenant ? { tenant } : {}),
    headers: { 'user-agent': `steward-cli/${STEWARD_VERSION}` },
  });
  return {
    server,
    client,
    async call<T>(request: Promise<CallResult<T>>): Promise<T> {
      try {
        return await unwrap(request);
      } catch (error) {
        throw asDomainError(error, server);
      }
    },
  };
}

const KIND_BY_STATUS: Record<
  number,
  new (code: string, message: string, details?: Record<string, unknown>) => DomainError
> = {
  400: InvalidInput,
  401: Unauthenticated,
  403: Forbidden,
  404: NotFound,
  409: Conflict,
  413: PayloadTooLarge,
  415: UnsupportedMediaType,
  422: InvalidInput,
  429: TooManyRequests,
  503: Unavailable,
};

/** The server's problem as the DomainError of its kind, so the CLI prints it and exits as if local. */
function asDomainError(error: unknown, server: string): DomainError {
  if (error instanceof StewardApiError) {
    const Kind = KIND_BY_STATUS[error.status] ?? Unavailable;
    return new Kind(error.code, error.detail, { ...error.details, status: error.status });
  }
  const { cause: reason } = error as { cause?: { code?: string; message?: string } };
  const cause = reason?.code ?? reason?.message;
  return new Unavailable(
    'cli.server_unreachable',
    `Cannot reach Steward at ${server}${cause ? ` (${cause})` : ''}. Check --server and that Steward runs there.`,
  );
}
