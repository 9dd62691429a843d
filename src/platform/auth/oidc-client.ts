import * as openid from 'openid-client';
import { Unauthenticated, Unavailable } from '../../kernel/errors/domain-error.ts';
import type { OidcConfig } from './auth-config-schema.ts';

/** What must survive the trip to the provider and back (kept in a signed, HttpOnly cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The tenant the person asked to work in, if any. */
  tenant?: string;
}

/** A person as the provider vouched for them in a verified ID token. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  groups: string[];
}

export interface OidcClient {
  begin(tenant?: string): Promise<{ url: URL; pending: PendingSignIn }>;
  /** Exchanges the code and verifies the ID token: issuer, audience, nonce, expiry and signature. */
  complete(callbackUrl: URL, pending: PendingSignIn): Promise<VerifiedIdentity>;
}

export interface OidcClientOptions {
  /** Replaces fetch for every call to the provider (tests put a real man-in-the-middle here). */
  fetch?: typeof fetch;
  /** Seconds to add to this machine's clock when judging token times. */
  clockSkewSeconds?: number;
}

/**
 * Single sign-on with openid-client: authorization code flow with PKCE (S256), state and nonce.
 * The provider's metadata is discovered once and cached; a failed discovery is retried next time.
 */
export function createOidcClient(
  config: OidcConfig,
  clientSecret: string,
  options: OidcClientOptions = {},
): OidcClient {
  let discovered: Promise<openid.Configuration> | undefined;

  function configuration(): Promise<openid.Configuration> {
    discovered ??= discover().catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  }

  async function discover(): Promise<openid.Configuration> {
    try {
      const found = await openid.discovery(
        new URL(config.issuer),
        config.clientId,
        {
          redirect_uris: [config.redirectUri],
          ...(options.clockSkewSeconds ? { [openid.clockSkew]: options.clockSkewSeconds } : {}),
        },
        openid.ClientSecretBasic(clientSecret),
        {
          ...(config.allowInsecureRequests ? { execute: [openid.allowInsecureRequests] } : {}),
          ...(options.fetch ? { [openid.customFetch]: options.fetch } : {}),
        },
      );
      // Also check the ID token's signature against the provider's keys, not only its claims.
      openid.enableNonRepudiationChecks(found);
      return found;
    } catch (error) {
      throw new Unavailable(
        'auth.oidc_discovery_failed',
        `Cannot use the OpenID provider at ${config.issuer}: ${(error as Error).message}. Check auth.oidc.issuer and that the provider is reachable.`,
        { issuer: config.issuer },
        { cause: error },
      );
    }
  }

  return {
    async begin(tenant) {
      const found = await configuration();
      const pending: PendingSignIn = {
        state: openid.randomState(),
        nonce: openid.randomNonce(),
        codeVerifier: openid.randomPKCECodeVerifier(),
        ...(tenant ? { tenant } : {}),
      };
      const url = openid.buildAuthorizationUrl(found, {
        redirect_uri: config.redirectUri,
        scope: config.scopes,
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await openid.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, pending };
    },

    async complete(callbackUrl, pending) {
      const found = await configuration();
      let tokens: Awaited<ReturnType<typeof openid.authorizationCodeGrant>>;
      try {
        tokens = await openid.authorizationCodeGrant(found, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        // Only the claim's name is kept from the cause: the cause also holds the token's claims, which are personal data.
        // openid-client wraps the precise check that failed (oauth4webapi's error) as the cause.
        const precise = (error as { cause?: { message?: unknown; cause?: { claim?: unknown } } }).cause;
        const claim = precise?.cause?.claim;
        const about = typeof precise?.message === 'string' ? ` (${precise.message})` : '';
        throw new Unauthenticated(
          'auth.oidc_rejected',
          `Sign-in was refused: ${(error as Error).message}${about}. Start again from the sign-in page.`,
          {
            reason: (error as { code?: string }).code ?? 'unknown',
            ...(typeof claim === 'string' ? { claim } : {}),
          },
        );
      }
      const claims = tokens.claims();
      if (!claims)
        throw new Unauthenticated(
          'auth.oidc_rejected',
          'The provider sent no ID token. Check that the openid scope is requested.',
        );
      let email = typeof claims.email === 'string' ? claims.email : undefined;
      let groups = stringList(claims[config.groupsClaim]);
      if (email === undefined || groups === undefined) {
        // Some providers keep claims out of the ID token; the userinfo endpoint has them then.
        const info = await openid.fetchUserInfo(found, tokens.access_token, claims.sub);
        email ??= typeof info.email === 'string' ? info.email : undefined;
        groups ??= stringList(info[config.groupsClaim]);
      }
      return { issuer: claims.iss, subject: claims.sub, email, groups: groups ?? [] };
    },
  };
}

function stringList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return [value];
  return undefined;
}
