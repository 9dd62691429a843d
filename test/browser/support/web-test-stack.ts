import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startOpenIdProvider, type OpenIdProvider } from '../../support/openid-provider.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../../support/smtp-test-server.ts';
import { aConfigFile, spawnSteward, type StewardProcess } from '../../support/steward-process.ts';
import { createPostgresDatabase, POSTGRES_ADMIN_URL } from '../../support/test-database.ts';
import { ensureWebBuilt } from './web-build.ts';

/** People of the test identity provider, by account id, and the Steward role their group maps to. */
export const PEOPLE = {
  officer: { email: 'officer@example.com', groups: ['privacy'] },
  auditor: { email: 'auditor@example.com', groups: ['audit'] },
} as const;

export interface WebTestStack {
  /** Where Steward serves the console, the privacy center and the API: http://127.0.0.1:<port>. */
  baseUrl: string;
  /** Every mail Steward sent (codes, acknowledgements, download links). */
  smtp: SmtpTestServer;
  /** The demo's owner API key (all permissions in the default tenant). */
  ownerKey: string;
  /** The demo shop's own database, to pick customers that exist. */
  shopQuery<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Steward's database, to pick subjects by their consent state. */
  stewardQuery<R>(sql: string, params?: unknown[]): Promise<R[]>;
  steward: StewardProcess;
  stop(): Promise<void>;
}

async function queryOnce<R>(url: string, sql: string, params?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A real Steward as `steward serve --demo` runs it, on a fresh PostgreSQL database with the demo
 * shop in another, mailing through a real SMTP capture and signing people in through a real
 * OpenID provider (groups privacy → privacy_officer, audit → auditor). Access and erasure wait for
 * approval, so a privacy officer decides them in the console.
 */
export async function startWebTestStack(): Promise<WebTestStack> {
  await ensureWebBuilt();
  const work = mkdtempSync(join(tmpdir(), 'steward-web-'));
  const smtp = await startSmtpTestServer();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const clientSecret = randomBytes(16).toString('hex');
  let provider: OpenIdProvider | undefined;
  let steward: StewardProcess | undefined;
  const database = await createPostgresDatabase('steward_web');
  const shopDatabase = `steward_web_shop_${randomBytes(5).toString('hex')}`;
  try {
    provider = await startOpenIdProvider({
      clients: [
        { clientId: 'steward-console', clientSecret, redirectUri: `${baseUrl}/v1/auth/oidc/callback` },
      ],
      accounts: {
        officer: { ...PEOPLE.officer, groups: [...PEOPLE.officer.groups] },
        auditor: { ...PEOPLE.auditor, groups: [...PEOPLE.auditor.groups] },
      },
    });
    const config = aConfigFile({
      server: { host: '127.0.0.1', port },
      database: { url: database.url },
      jobs: { pollIntervalSeconds: 0.5 },
      logging: { level: 'warn' },
      demo: { enabled: true, database: shopDatabase, dataDir: join(work, 'demo'), people: 60 },
      auth: {
        sessionSecretRef: 'env:WEB_TEST_SESSION_SECRET',
        oidc: {
          issuer: provider.issuer,
          clientId: 'steward-console',
          clientSecretRef: 'env:WEB_TEST_OIDC_SECRET',
          redirectUri: `${baseUrl}/v1/auth/oidc/callback`,
          roleMapping: [
            { group: 'privacy', role: 'privacy_officer' },
            { group: 'audit', role: 'auditor' },
          ],
          afterLoginRedirect: '/console',
          allowInsecureRequests: true,
        },
      },
      dsr: {
        dataDir: join(work, 'dsr'),
        publicBaseUrl: baseUrl,
        smtp: { host: smtp.host, port: smtp.port },
        approvalRequired: ['access', 'erasure'],
        verification: { resendIntervalSeconds: 0 },
      },
    });
    steward = spawnSteward(['serve', '--demo', '--config', config], {
      cwd: work,
      env: {
        STEWARD_MASTER_KEY: randomBytes(32).toString('base64'),
        WEB_TEST_SESSION_SECRET: randomBytes(32).toString('base64url'),
        WEB_TEST_OIDC_SECRET: clientSecret,
      },
    });
    await steward.waitForStdout(/listening on http:\/\/127\.0\.0\.1:\d+/i, 120_000);
  } catch (error) {
    await steward?.stop();
    await provider?.close();
    await smtp.close();
    await database.drop();
    throw error;
  }
  const ownerKey = readFileSync(join(work, 'demo', 'owner-key'), 'utf8').trim();
  const shopUrl = new URL(POSTGRES_ADMIN_URL);
  shopUrl.pathname = `/${shopDatabase}`;
  return {
    baseUrl,
    smtp,
    ownerKey,
    steward,
    shopQuery: (sql, params) => queryOnce(shopUrl.toString(), sql, params),
    stewardQuery: (sql, params) => queryOnce(database.url, sql, params),
    async stop() {
      await steward!.stop();
      await provider!.close();
      await smtp.close();
      await database.drop();
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${shopDatabase} WITH (FORCE)`).finally(() => admin.end());
      rmSync(work, { recursive: true, force: true });
    },
  };
}
