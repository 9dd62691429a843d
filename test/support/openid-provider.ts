import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/** A person known to the test provider. */
export interface ProviderAccount {
  email: string;
  groups: string[];
}

export interface ProviderClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** A real OpenID provider (the oidc-provider package) listening on 127.0.0.1 for one test file. */
export interface OpenIdProvider {
  issuer: string;
  /**
   * Plays the browser: follows the authorization URL, signs in as `accountId` on the provider's own
   * login form and returns the URL the provider redirects back to (redirect URI with code and state).
   */
  signIn(authorizationUrl: URL | string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

/**
 * Starts oidc-provider with its development login form, its own fresh signing key, PKCE required
 * and groups in the ID token. Consent is granted automatically, as for a first-party application.
 */
export async function startOpenIdProvider(options: {
  clients: ProviderClient[];
  accounts: Record<string, ProviderAccount>;
  path?: string;
}): Promise<OpenIdProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}${options.path ?? ''}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [c.redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    })),
    jwks: {
      keys: [
        { ...privateKey.export({ format: 'jwk' }), kid: `test-${port}`, alg: 'RS256', use: 'sig' },
      ] as never,
    },
    cookies: { keys: ['oidc-provider-test-cookie-key'] },
    claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: account.email, email_verified: true, groups: account.groups }),
      };
    },
    async loadExistingGrant(ctx) {
      const existing = ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client?.clientId,
        accountId: ctx.oidc.session?.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const prefix = options.path ?? '';
  const callback = provider.callback();
  server.on('request', (request, response) => {
    if (prefix && request.url?.startsWith(prefix)) request.url = request.url.slice(prefix.length) || '/';
    callback(request, response);
  });

  return {
    issuer,
    async signIn(authorizationUrl, accountId) {
      const jar = new Map<string, string>();
      const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const remember = (response: Response) => {
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const at = pair?.indexOf('=') ?? -1;
          if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
      };
      let url = new URL(authorizationUrl);
      let init: RequestInit = {};
      for (let hop = 0; hop < 12; hop++) {
        const response = await fetch(url, {
          ...init,
          redirect: 'manual',
          headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
        });
        remember(response);
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          const next = new URL(location, url);
          if (next.origin !== new URL(issuer).origin) return next;
          url = next;
          init = {};
          continue;
        }
        const page = await response.text();
        if (response.status === 200 && page.includes('name="prompt" value="login"')) {
          // The development login form posts back to the interaction URL.
          init = {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ prompt: 'login', login: accountId, password: 'any' }).toString(),
          };
          continue;
        }
        throw new Error(
          `The test provider answered ${response.status} at ${url.pathname}: ${page.slice(0, 300)}`,
        );
      }
      throw new Error('The test provider redirected too often.');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
