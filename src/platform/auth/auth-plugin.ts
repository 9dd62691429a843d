import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import {
  Forbidden,
  InvalidInput,
  TooManyRequests,
  Unauthenticated,
  isDomainError,
} from '../../kernel/errors/domain-error.ts';
import type { RouteAccess } from './http/request-context.ts';
import type { AuthServices as AllAuthServices } from './auth-services.ts';
import { resolveSecretReference } from '../secrets/secret-reference.ts';
import { generatedSessionSecret } from './default-session-secret.ts';
import { anonymousActor, type Actor } from './actor.ts';
import { isValidCsrfToken } from './csrf-token.ts';
import { FailedAttemptLimiter } from './failed-attempt-limiter.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';
import { createRequestAuthenticator } from './request-authenticator.ts';
import { API_KEYS_CHANNEL, ApiKeyCache } from './api-key-cache.ts';
import { ApiKeyLastUse } from './api-key-last-use.ts';
import { subscribeToChanges } from '../../kernel/database/change-notifications.ts';
import { TENANT_ID_PATTERN, tenantExists } from './tenants.ts';
import { DEFAULT_TENANT_ID } from '../../kernel/database/core-tables.ts';

/** `__Host-` pins the cookie to this host, path / and Secure (no subdomain can set or read it). */
export const SESSION_COOKIE = '__Host-steward_session';
/** Readable by the console's script, which echoes it in X-CSRF-Token. */
export const CSRF_COOKIE = '__Host-steward_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const TENANT_HEADER = 'x-steward-tenant';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** How long a verified API key is trusted without reading it again (revocations arrive sooner, by notification). */
const API_KEY_CACHE_TTL_MS = 30_000;

/** What authentication needs of the app's services. */
export type AuthServices = Pick<AllAuthServices, 'config' | 'database' | 'logger'>;

/** What a route declares about who may call it (`config` of the route). */
interface AccessConfig {
  permission?: Permission;
  public?: boolean;
}

export interface AuthPluginOptions {
  services: AuthServices;
}

/** The key that signs session cookies and CSRF tokens, shared with the OIDC routes. */
export function sessionSecretOf(services: AuthServices): string {
  const cached = sessionSecrets.get(services.config);
  if (cached) return cached;
  const reference = services.config.auth.sessionSecretRef;
  const generated = reference ? undefined : generatedSessionSecret(services.database, services.logger);
  const secret = reference
    ? resolveSecretReference(reference)
    : (generated ?? randomBytes(32).toString('base64url'));
  if (!reference && !generated)
    services.logger.warn(
      'auth.sessionSecretRef is not set: sessions are signed with a key of this process and end at restart',
    );
  sessionSecrets.set(services.config, secret);
  return secret;
}
const sessionSecrets = new WeakMap<object, string>();

/**
 * Authentication and authorisation for every route registered after it (all of /v1):
 * - at registration, a route must declare `config.permission` or `config.public`, or start-up fails;
 * - per request, the API key or session cookie becomes `request.actor` (401 if missing or invalid),
 *   the route's permission is checked (403), and cookie-authenticated writes must carry the CSRF token.
 */
async function authPlugin(app: FastifyInstance, { services }: AuthPluginOptions): Promise<void> {
  const secret = sessionSecretOf(services);
  // Cookies are parsed by the access check below, on the routes that declare access, rather than by
  // a hook of the cookie plugin on every request (probes, documents, unmatched URLs included).
  await app.register(cookie, { secret, hook: false });
  const authenticator = await createCachedAuthenticator(app, services);
  const limiter = new FailedAttemptLimiter(
    services.config.auth.rateLimit.max,
    services.config.auth.rateLimit.timeWindowMs,
  );
  const table: RouteAccess[] = [];
  app.decorate('routeAccessTable', table);
  app.decorateRequest('actor', null as unknown as Actor);

  const accessCheck = (config: AccessConfig) =>
    function checkAccess(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const header = request.headers.cookie;
      request.cookies = header ? app.parseCookie(header) : {};
      // Authenticated answers carry personal data and, once, API keys: no cache on the way may keep
      // them. Set before anything can answer, so refusals carry it too; a handler may set its own.
      if (config.permission) reply.header('cache-control', 'no-store');
      return authorize(request, config);
    };
  // Every route registered after this plugin declares its access (or start-up fails), and gets the
  // check as its own first onRequest hook, with its declaration bound once here: routes registered
  // before (health, docs, the OpenAPI document) and unmatched URLs run no authentication code at all.
  app.addHook('onRoute', (route: RouteOptions) => {
    table.push(...declaredAccess(route));
    const check = accessCheck((route.config ?? {}) as AccessConfig);
    const existing = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [check, ...existing] as RouteOptions['onRequest'];
  });

  async function authorize(request: FastifyRequest, config: AccessConfig): Promise<void> {
    const client = request.ip;
    if (limiter.isBlocked(client)) {
      throw new TooManyRequests(
        'auth.too_many_failures',
        'Too many failed authentications from this address. Wait a minute and check your credentials.',
      );
    }
    let actor: Actor | undefined;
    try {
      actor = await authenticate(request);
    } catch (error) {
      if (isDomainError(error) && error.kind === 'unauthenticated') limiter.recordFailure(client);
      if (config.public && isDomainError(error) && error.kind === 'unauthenticated') actor = undefined;
      else throw error;
    }
    if (config.public) {
      request.actor = actor ?? anonymousActor(await publicTenantOf(request));
      return;
    }
    if (!actor) {
      throw new Unauthenticated(
        'auth.required',
        'This route needs credentials. Send Authorization: Bearer stw_… or sign in.',
      );
    }
    if (!config.permission || !actor.permissions.has(config.permission)) {
      throw new Forbidden(
        'auth.permission_missing',
        `This route needs the permission ${config.permission}, which your role or key does not have.`,
        {
          permission: config.permission,
        },
      );
    }
    if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const session = sessionTokenOf(request);
      const given = request.headers[CSRF_HEADER];
      if (!session || !isValidCsrfToken(typeof given === 'string' ? given : undefined, session, secret)) {
        throw new Forbidden(
          'auth.csrf_failed',
          `A signed-in browser must echo the ${CSRF_COOKIE} cookie in the X-CSRF-Token header on changes.`,
        );
      }
    }
    request.actor = actor;
  }

  async function authenticate(request: FastifyRequest): Promise<Actor | undefined> {
    const context = { requestedTenant: requestedTenantOf(request), requestId: request.id };
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1])
        throw new Unauthenticated(
          'auth.bad_authorization',
          'The Authorization header must read "Bearer stw_…".',
        );
      return authenticator.authenticateApiKey(match[1], context);
    }
    const session = sessionTokenOf(request);
    if (session === undefined) return undefined;
    const actor = await authenticator.authenticateSession(session, context);
    if (!actor) throw new Unauthenticated('auth.session_expired', 'Your session has ended. Sign in again.');
    return actor;
  }

  function sessionTokenOf(request: FastifyRequest): string | undefined {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return undefined;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value ? unsigned.value : undefined;
  }

  async function publicTenantOf(request: FastifyRequest): Promise<string> {
    const requested = requestedTenantOf(request);
    if (requested === undefined) return DEFAULT_TENANT_ID;
    if (!(await tenantExists(services.database.db, requested))) {
      throw new InvalidInput(
        'auth.unknown_tenant',
        `There is no tenant ${requested}. Check the X-Steward-Tenant header.`,
      );
    }
    return requested;
  }
}

/**
 * The authenticator with this app's API-key cache, kept current across replicas through the
 * revocation notifications, and its batched last-use writes; both end with the app.
 */
async function createCachedAuthenticator(app: FastifyInstance, services: AuthServices) {
  const keys = new ApiKeyCache({ ttlMs: API_KEY_CACHE_TTL_MS, maxKeys: 10_000 });
  const lastUse = new ApiKeyLastUse(services.database.db, services.logger, {
    intervalMs: 60_000,
    flushDelayMs: 1_000,
  });
  const unsubscribe = await subscribeToChanges(services.database, services.logger, API_KEYS_CHANNEL, {
    onNotification: (keyId) => keys.forget(keyId),
    onListening: (listening) => keys.setListening(listening),
  });
  app.addHook('onClose', async () => {
    keys.close();
    await unsubscribe();
    await lastUse.flush();
  });
  return createRequestAuthenticator(services.database.db, { keys, lastUse });
}

function requestedTenantOf(request: FastifyRequest): string | undefined {
  const value = request.headers[TENANT_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !TENANT_ID_PATTERN.test(value)) {
    throw new InvalidInput(
      'auth.bad_tenant_header',
      'X-Steward-Tenant must be one tenant id (lowercase letters, digits, dashes).',
    );
  }
  return value;
}

/** Fails the registration of a route that does not say who may call it (fail closed). */
function declaredAccess(route: RouteOptions): RouteAccess[] {
  const config = (route.config ?? {}) as { permission?: string; public?: boolean };
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const where = `${methods.join(',')} ${route.url}`;
  if (config.permission && config.public) {
    throw new InvalidInput(
      'auth.route_access_ambiguous',
      `Route ${where} declares both a permission and public: true. Choose one.`,
    );
  }
  if (!config.permission && !config.public) {
    throw new InvalidInput(
      'auth.route_access_undeclared',
      `Route ${where} declares neither config.permission nor config.public: true. Every route must say who may call it.`,
    );
  }
  if (config.permission && !(PERMISSIONS as readonly string[]).includes(config.permission)) {
    throw new InvalidInput(
      'auth.route_unknown_permission',
      `Route ${where} requires "${config.permission}", which is not in src/auth/permissions.ts.`,
    );
  }
  return methods.map((method) => ({
    method: String(method),
    url: route.url,
    permission: config.permission as RouteAccess['permission'],
    public: config.public === true,
  }));
}

export default fp(authPlugin, { name: 'steward-auth', fastify: '5.x' });
