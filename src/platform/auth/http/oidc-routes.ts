import { z } from 'zod';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DEFAULT_TENANT_ID } from '../../../kernel/database/core-tables.ts';
import { isDomainError, NotFound, Unauthenticated } from '../../../kernel/errors/domain-error.ts';
import type { StewardApp } from '../../../kernel/http/steward-app.ts';
import type { AuthServices } from '../auth-services.ts';
import { resolveSecretReference } from '../../secrets/secret-reference.ts';
import type { OidcConfig } from '../auth-config-schema.ts';
import { CSRF_COOKIE, SESSION_COOKIE, sessionSecretOf } from '../auth-plugin.ts';
import { tenantIdSchema } from './auth-route-schemas.ts';
import { csrfTokenFor } from '../csrf-token.ts';
import { createOidcClient, type OidcClient, type PendingSignIn } from '../oidc-client.ts';
import { signInWithOidc } from '../oidc-sign-in.ts';
import { tenantExists } from '../tenants.ts';

/** Holds state, nonce and PKCE verifier between the redirect to the provider and its answer. */
export const PENDING_SIGN_IN_COOKIE = '__Host-steward_oidc';
const PENDING_SIGN_IN_SECONDS = 600;

const callbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  iss: z.string().max(2048).optional(),
  session_state: z.string().max(1024).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

/** Single sign-on: redirect to the provider, then turn its answer into a session cookie. */
export function registerOidcRoutes(app: StewardApp, services: AuthServices): void {
  const { auth } = services.config;
  const rateLimit = { max: auth.rateLimit.max, timeWindow: auth.rateLimit.timeWindowMs };
  const secret = sessionSecretOf(services);
  let client: OidcClient | undefined;
  const oidc = (): { config: OidcConfig; client: OidcClient } => {
    if (!auth.oidc)
      throw new NotFound(
        'auth.oidc_not_configured',
        'Single sign-on is not configured. Add auth.oidc to steward.yaml, or use an API key.',
      );
    client ??= createOidcClient(auth.oidc, resolveSecretReference(auth.oidc.clientSecretRef));
    return { config: auth.oidc, client };
  };

  app.get(
    '/auth/oidc/login',
    {
      config: { public: true, rateLimit },
      schema: {
        tags: ['auth'],
        operationId: 'startOidcSignIn',
        summary: 'Start single sign-on (redirects to the OpenID provider)',
        querystring: z.object({ tenant: tenantIdSchema.optional() }).strict(),
      },
    },
    async (request, reply) => {
      const { client: oidcClient } = oidc();
      const { url, pending } = await oidcClient.begin(request.query.tenant);
      reply.setCookie(PENDING_SIGN_IN_COOKIE, JSON.stringify(pending), {
        signed: true,
        httpOnly: true,
        secure: true,
        sameSite: 'lax',
        path: '/',
        maxAge: PENDING_SIGN_IN_SECONDS,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: { public: true, rateLimit },
      schema: {
        tags: ['auth'],
        operationId: 'completeOidcSignIn',
        summary: 'Where the OpenID provider sends the browser back',
        querystring: callbackQuery,
      },
    },
    async (request, reply) => {
      const { config, client: oidcClient } = oidc();
      const pending = pendingSignInOf(request.cookies[PENDING_SIGN_IN_COOKIE], (raw) =>
        request.unsignCookie(raw),
      );
      reply.clearCookie(PENDING_SIGN_IN_COOKIE, { path: '/', secure: true });
      const auditTenant =
        pending?.tenant && (await tenantExists(services.database.db, pending.tenant))
          ? pending.tenant
          : DEFAULT_TENANT_ID;
      try {
        if (!pending)
          throw new Unauthenticated(
            'auth.oidc_no_pending',
            'No sign-in is in progress in this browser (or it took longer than 10 minutes). Start again.',
          );
        if (request.query.error)
          throw new Unauthenticated(
            'auth.oidc_provider_error',
            `The provider refused the sign-in: ${request.query.error}.`,
          );
        const callbackUrl = new URL(config.redirectUri);
        callbackUrl.search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        const identity = await oidcClient.complete(callbackUrl, pending);
        const signedIn = await signInWithOidc(services.database.db, identity, config, {
          requestedTenant: pending.tenant,
          sessionTtlSeconds: auth.sessionTtlSeconds,
          requestId: request.id,
          sourceAddress: request.ip,
        });
        const cookie = { path: '/', secure: true, sameSite: 'lax' as const, maxAge: auth.sessionTtlSeconds };
        reply.setCookie(SESSION_COOKIE, signedIn.sessionToken, { ...cookie, httpOnly: true, signed: true });
        // Readable by the console, which echoes it in X-CSRF-Token on every change.
        reply.setCookie(CSRF_COOKIE, csrfTokenFor(signedIn.sessionToken, secret), {
          ...cookie,
          httpOnly: false,
        });
        return reply.redirect(config.afterLoginRedirect, 303);
      } catch (error) {
        if (isDomainError(error) && (error.kind === 'unauthenticated' || error.kind === 'forbidden')) {
          await recordAuditEvent(services.database.db, {
            tenantId: auditTenant,
            actor: { kind: 'anonymous', id: 'anonymous' },
            action: 'auth.login.failed',
            object: { type: 'sign_in', id: 'oidc' },
            outcome: 'failure',
            reason: error.code,
            requestId: request.id,
            sourceAddress: request.ip,
          });
        }
        throw error;
      }
    },
  );
}

function pendingSignInOf(
  raw: string | undefined,
  unsign: (raw: string) => { valid: boolean; value: string | null },
): PendingSignIn | undefined {
  if (!raw) return undefined;
  const unsigned = unsign(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  try {
    const parsed = JSON.parse(unsigned.value) as Partial<PendingSignIn>;
    if (
      typeof parsed.state !== 'string' ||
      typeof parsed.nonce !== 'string' ||
      typeof parsed.codeVerifier !== 'string'
    )
      return undefined;
    return {
      state: parsed.state,
      nonce: parsed.nonce,
      codeVerifier: parsed.codeVerifier,
      ...(typeof parsed.tenant === 'string' ? { tenant: parsed.tenant } : {}),
    };
  } catch {
    return undefined;
  }
}
