import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './generated/steward-api.ts';
import { apiErrorOf } from './steward-api-error.ts';

/** A typed client of the whole Steward API: `client.GET('/v1/requests', { params: { query } })`. */
export type StewardClient = Client<paths>;

export interface StewardClientOptions {
  /** Where Steward answers, without /v1: `https://steward.example.com`; '' for the page's own origin. */
  baseUrl: string;
  /** An API key (`stw_…`), sent as `Authorization: Bearer`; a function is asked on every call. */
  apiKey?: string | (() => string | undefined);
  /** The tenant to act in (`X-Steward-Tenant`); default: the key's or the session's own. */
  tenant?: string | (() => string | undefined);
  /**
   * A signed-in browser (session cookie): the CSRF token to echo in `X-CSRF-Token` on changes.
   * `browserCsrfToken` reads it from the cookie Steward sets at sign-in.
   */
  csrfToken?: () => string | undefined;
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  /** A fetch of your own (tests, proxies, retries). */
  fetch?: (request: Request) => Promise<Response>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const valueOf = (option: string | (() => string | undefined) | undefined) =>
  typeof option === 'function' ? option() : option;

/**
 * Steward's API as a typed client (openapi-fetch over the types generated from Steward's OpenAPI
 * document), with the credentials and tenant of `options` added to every call. Calls resolve to
 * `{ data, error, response }`; `unwrap` turns them into the data or a thrown `StewardApiError`.
 */
export function createStewardClient(options: StewardClientOptions): StewardClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(credentialsMiddleware(options));
  return client;
}

function credentialsMiddleware(options: StewardClientOptions): Middleware {
  return {
    onRequest({ request }) {
      const apiKey = valueOf(options.apiKey);
      if (apiKey) request.headers.set('authorization', `Bearer ${apiKey}`);
      const tenant = valueOf(options.tenant);
      if (tenant) request.headers.set('x-steward-tenant', tenant);
      if (!SAFE_METHODS.has(request.method)) {
        const csrf = options.csrfToken?.();
        if (csrf) request.headers.set('x-csrf-token', csrf);
      }
      return request;
    },
  };
}

/** What an openapi-fetch call resolves to. */
export interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call, or a `StewardApiError` (status, code, detail) thrown for an error answer. */
export async function unwrap<T>(call: Promise<CallResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorOf(response, error);
  return data as T;
}

/** The CSRF token of a signed-in browser, from the readable cookie Steward sets next to the session. */
export function browserCsrfToken(): string | undefined {
  // Typed narrowly so the SDK compiles without the DOM library (Node, Deno, workers).
  const page = (globalThis as { document?: { cookie: string } }).document;
  if (!page) return undefined;
  const match = /(?:^|;\s*)__Host-steward_csrf=([^;]+)/.exec(page.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
