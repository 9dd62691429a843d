import { randomBytes } from 'node:crypto';
import { configSchema, type StewardConfigInput } from '../../src/app/config/config-schema.ts';
import type { AppServices } from '../../src/app/app-services.ts';
import { createStewardApp, createStewardJobEngine } from '../../src/app/start-steward.ts';
import type { StewardApp } from '../../src/kernel/http/steward-app.ts';
import type { JobEngine } from '../../src/kernel/jobs/job-engine.ts';
import { createLogger } from '../../src/kernel/logging/logger.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { Writable } from 'node:stream';
import { closeServices, createServices } from '../../src/app/create-services.ts';
import { issueRoleApiKey } from '../../src/platform/auth/role-api-key.ts';
import { redactPiiForLogs } from '../../src/platform/pii/index.ts';

export interface TestApp {
  app: StewardApp;
  services: AppServices;
  database: TestDatabase;
  jobs: JobEngine;
  /** Everything the app logged, one JSON line per entry. */
  logLines: string[];
  /**
   * Headers that authenticate as the given built-in role in the given tenant (default: owner in
   * 'default'). Filled in by the auth domain; routes are called with these in every test.
   */
  headers(role?: string, tenantId?: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * A fully wired Steward API on a fresh test database (the run's backend), for `app.inject`.
 * Jobs are enqueued but no worker runs unless `work: true`.
 */
export async function startTestApp(
  options: {
    /** steward.yaml as a test would write it: any section, any subset of keys. */
    config?: StewardConfigInput;
    work?: boolean;
    /** Mounts routes of the test's own (e.g. one that throws) before the app is sealed. */
    beforeReady?: (app: StewardApp) => void | Promise<void>;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: 'info', destination, redactText: redactPiiForLogs });
  const config = configSchema.parse({
    ...options.config,
    jobs: { pollIntervalSeconds: 0.5, ...options.config?.jobs },
  });
  const jobs = createStewardJobEngine(database, config, logger, { instanceName: 'test', concurrency: 2 });
  // A failed start (an invalid data map, say) must not leave the database open and the test hanging.
  const services: AppServices = await createServices(config, database, jobs, logger).catch(
    async (error: unknown) => {
      await database.close();
      throw error;
    },
  );
  await jobs.start({ work: options.work ?? false, services });
  const app = await createStewardApp(services, { ready: true });
  const issuedKeys = new Map<string, string>();
  await options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    services,
    database,
    jobs,
    logLines,
    async headers(role = 'owner', tenantId = 'default') {
      // One real API key per role and tenant, made the way an operator would (the tenant too, if new).
      const cacheKey = `${role}@${tenantId}`;
      let token = issuedKeys.get(cacheKey);
      if (!token) {
        ({ token } = await issueRoleApiKey(database.db, {
          role,
          tenantId,
          name: `test ${cacheKey}`,
          actor: { kind: 'system', id: 'test-harness' },
        }));
        issuedKeys.set(cacheKey, token);
      }
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      await closeServices(services, { graceMs: 1000 });
    },
  };
}

/**
 * The API for tests that send thousands of requests (fuzzing, the access policy): rate limits out of
 * the way, and a master key set, since webhook signing secrets are sealed with it.
 */
export function startUnthrottledTestApp(): Promise<TestApp> {
  process.env.STEWARD_MASTER_KEY ??= randomBytes(32).toString('base64');
  const unlimited = { max: 1_000_000, timeWindowMs: 60_000 };
  return startTestApp({ config: { server: { rateLimit: unlimited }, auth: { rateLimit: unlimited } } });
}
