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
import { requestInstance } from '../errors/problem-details.ts';
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
  /**
   * A document the server renders (PDF, HTML, CSV, JSON), asked for with `parseAs: 'arrayBuffer'`:
   * its bytes as text or, when binary, a Buffer, with the file name its Content-Disposition gives.
   */
  document(request: Promise<CallResult<unknown>>): Promise<RemoteDocument>;
}

/** A rendered document fetched from the server. */
export interface RemoteDocument {
  body: string | Buffer;
  contentType: string;
  /** From Content-Disposition; undefined when the server names none. */
  filename: string | undefined;
}

/** Media types whose bytes are text, printable on a terminal. */
const TEXT_MEDIA_TYPE = /^(text\/|application\/(json|xml|sarif\+json)\b)/;

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
    async document(request: Promise<CallResult<unknown>>): Promise<RemoteDocument> {
      let result: CallResult<unknown>;
      try {
        result = await request;
        await unwrap(Promise.resolve(result));
      } catch (error) {
        throw asDomainError(error, server);
      }
      const bytes = Buffer.from(result.data as ArrayBuffer);
      const contentType = result.response.headers.get('content-type') ?? 'application/octet-stream';
      const filename = /filename="([^"]+)"/.exec(
        result.response.headers.get('content-disposition') ?? '',
      )?.[1];
      return {
        body: TEXT_MEDIA_TYPE.test(contentType) ? bytes.toString('utf8') : bytes,
        contentType,
        filename,
      };
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

/**
 * For a server's problem relayed by the CLI: the status it answered with and the request it names,
 * so --json prints the server's problem document, not a re-derived one.
 */
export function relayedOccurrence(error: DomainError): { status?: number; instance?: string } {
  if (!(error.cause instanceof StewardApiError)) return {};
  return {
    status: error.cause.status,
    ...(error.cause.requestId ? { instance: requestInstance(error.cause.requestId) } : {}),
  };
}

/** The server's problem as the DomainError of its kind, so the CLI prints it and exits as if local. */
function asDomainError(error: unknown, server: string): DomainError {
  if (error instanceof StewardApiError) {
    const Kind = KIND_BY_STATUS[error.status] ?? Unavailable;
    const details = Object.keys(error.details).length ? { ...error.details } : undefined;
    return new Kind(error.code, error.detail, details, { cause: error });
  }
  const { cause: reason } = error as { cause?: { code?: string; message?: string } };
  const cause = reason?.code ?? reason?.message;
  return new Unavailable(
    'cli.server_unreachable',
    `Cannot reach Steward at ${server}${cause ? ` (${cause})` : ''}. Check --server and that Steward runs there.`,
  );
}
