import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StewardConfigInput } from '../../src/app/config/config-schema.ts';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.ts';
import { startTestApp, type TestApp } from './test-app.ts';
import { dsrConfigSchema, type DsrConfig } from '../../src/modules/dsr/config-schema.ts';

export interface DsrTestApp extends TestApp {
  smtp: SmtpTestServer;
  dataDir: string;
}

type DsrOverrides = Omit<Partial<DsrConfig>, 'verification' | 'execution' | 'packages'> & {
  verification?: Partial<DsrConfig['verification']>;
  execution?: Partial<DsrConfig['execution']>;
  packages?: Partial<DsrConfig['packages']>;
};

/**
 * The test app with a real SMTP server in this process and a fresh DSR data directory; requester
 * mail goes to the SMTP server, packages and keys to the directory. Test code, used by DSR tests.
 */
export async function startDsrTestApp(
  options: { work?: boolean; dsr?: DsrOverrides; config?: StewardConfigInput } = {},
): Promise<DsrTestApp> {
  const smtp = await startSmtpTestServer();
  const dataDir = await mkdtemp(join(tmpdir(), 'steward-dsr-'));
  const dsr = dsrConfigSchema.parse({
    dataDir,
    from: 'Privacy team <privacy@shop.example>',
    publicBaseUrl: 'https://privacy.shop.example',
    ...options.dsr,
    smtp: { host: smtp.host, port: smtp.port, connectionTimeoutMs: 5000, ...options.dsr?.smtp },
  });
  // A test that asks for erasures without approval asks for the tenant's four-eyes policy off too:
  // it would otherwise still hold every erasure for a second person.
  const noErasureApproval =
    options.dsr?.approvalRequired !== undefined && !options.dsr.approvalRequired.includes('erasure');
  const auth = noErasureApproval
    ? {
        ...options.config?.auth,
        separationOfDuties: { requests: false, ...options.config?.auth?.separationOfDuties },
      }
    : options.config?.auth;
  const app = await startTestApp({
    work: options.work ?? false,
    config: { ...options.config, ...(auth ? { auth } : {}), dsr },
  });
  let closing: Promise<void> | undefined;
  return {
    ...app,
    smtp,
    dataDir,
    // Idempotent: a test may stop Steward early (to open what its connectors held) and `after` again.
    close() {
      closing ??= (async () => {
        await app.close();
        await smtp.close();
        await rm(dataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
