import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as openid from 'openid-client';
import { startOpenIdProvider, type OpenIdProvider } from '../../../test/support/openid-provider.ts';
import { authConfigSchema, type OidcConfig } from './auth-config-schema.ts';
import { createOidcClient, type OidcClientOptions } from './oidc-client.ts';

const REDIRECT = 'http://127.0.0.1:9/v1/auth/oidc/callback';
const steward = { clientId: 'steward', clientSecret: 'steward-client-secret', redirectUri: REDIRECT };
const otherApp = {
  clientId: 'other-app',
  clientSecret: 'other-app-secret',
  redirectUri: 'http://127.0.0.1:9/other/callback',
};
const accounts = { ada: { email: 'ada@example.com', groups: ['privacy-team', 'staff'] } };

/** Steward's OIDC settings for a provider, as steward.yaml would hold them. */
function stewardConfig(issuer: string): OidcConfig {
  const parsed = authConfigSchema.parse({
    oidc: {
      issuer,
      clientId: steward.clientId,
      clientSecretRef: 'env:UNUSED',
      redirectUri: REDIRECT,
      roleMapping: [{ group: 'privacy-team', role: 'privacy_officer' }],
      allowInsecureRequests: true,
    },
  });
  return parsed.oidc as OidcConfig;
}

/** A genuine ID token from a provider for any client: a complete code flow, as that client would run it. */
async function genuineIdToken(
  provider: OpenIdProvider,
  client: typeof steward,
  nonce = openid.randomNonce(),
): Promise<string> {
  const config = await openid.discovery(
    new URL(provider.issuer),
    client.clientId,
    client.clientSecret,
    undefined,
    { execute: [openid.allowInsecureRequests] },
  );
  const verifier = openid.randomPKCECodeVerifier();
  const state = openid.randomState();
  const url = openid.buildAuthorizationUrl(config, {
    redirect_uri: client.redirectUri,
    scope: 'openid email',
    state,
    nonce,
    code_challenge: await openid.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const callback = await provider.signIn(url, 'ada');
  const tokens = await openid.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  assert.ok(tokens.id_token);
  return tokens.id_token;
}

/** A man in the middle of the token response that hands Steward another (genuine) ID token. */
function substitutingIdToken(idToken: string): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input instanceof Request ? input.url : input).endsWith('/token')) return response;
    const body = (await response.json()) as Record<string, unknown>;
    return new Response(JSON.stringify({ ...body, id_token: idToken }), {
      status: response.status,
      headers: response.headers,
    });
  };
}

describe('OpenID Connect sign-in against a real provider', () => {
  let provider: OpenIdProvider;
  let otherProvider: OpenIdProvider;
  before(async () => {
    provider = await startOpenIdProvider({ clients: [steward, otherApp], accounts });
    otherProvider = await startOpenIdProvider({ clients: [steward], accounts });
  });
  after(async () => {
    await provider.close();
    await otherProvider.close();
  });

  async function signInThrough(options: OidcClientOptions = {}) {
    const client = createOidcClient(stewardConfig(provider.issuer), steward.clientSecret, options);
    const { url, pending } = await client.begin();
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    const callback = await provider.signIn(url, 'ada');
    return client.complete(callback, pending);
  }

  test('a person signs in: the verified identity carries subject, email and groups', async () => {
    const identity = await signInThrough();
    assert.deepEqual(identity, {
      issuer: provider.issuer,
      subject: 'ada',
      email: 'ada@example.com',
      groups: ['privacy-team', 'staff'],
    });
  });

  test('an ID token issued to another application (wrong audience) is refused', async () => {
    const forOtherApp = await genuineIdToken(provider, otherApp);
    await assert.rejects(
      signInThrough({ fetch: substitutingIdToken(forOtherApp) }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'auth.oidc_rejected');
        assert.match(error.message, /"aud"/);
        return true;
      },
    );
  });

  test('an ID token from another sign-in (wrong nonce) is refused', async () => {
    const replayed = await genuineIdToken(provider, steward, 'a-nonce-of-another-sign-in');
    await assert.rejects(
      signInThrough({ fetch: substitutingIdToken(replayed) }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'auth.oidc_rejected');
        assert.match(error.message, /nonce/);
        return true;
      },
    );
  });

  test('an ID token from another provider (wrong issuer) is refused', async () => {
    const foreign = await genuineIdToken(otherProvider, steward);
    await assert.rejects(
      signInThrough({ fetch: substitutingIdToken(foreign) }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'auth.oidc_rejected');
        assert.match(error.message, /"iss"/);
        return true;
      },
    );
  });

  test('an expired ID token is refused', async () => {
    // The provider's ID tokens live an hour; judged two hours later, this one is expired.
    await assert.rejects(
      signInThrough({ clockSkewSeconds: 2 * 3600 }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'auth.oidc_rejected');
        assert.match(error.message, /"exp"/);
        return true;
      },
    );
  });

  test('a callback whose state does not match the pending sign-in is refused', async () => {
    const client = createOidcClient(stewardConfig(provider.issuer), steward.clientSecret);
    const first = await client.begin();
    const second = await client.begin();
    const callback = await provider.signIn(first.url, 'ada');
    await assert.rejects(client.complete(callback, second.pending), { code: 'auth.oidc_rejected' });
  });

  test('a provider whose metadata names another issuer is refused at discovery', async () => {
    const config = {
      ...stewardConfig(provider.issuer),
      issuer: provider.issuer.replace('127.0.0.1', 'localhost'),
    };
    const client = createOidcClient(config, steward.clientSecret);
    await assert.rejects(client.begin(), { code: 'auth.oidc_discovery_failed' });
  });
});
