// Prometheus metrics of a real Steward (issue 10): `serve` on PostgreSQL, scraped at /metrics with an
// API key holding metrics:read, before and after real requests and jobs; a `worker` scraped on its
// own metrics port.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { configSchema } from '../../src/app/config/config-schema.ts';
import { startSteward, type StewardRuntime } from '../../src/app/start-steward.ts';
import { createLogger } from '../../src/kernel/logging/logger.ts';
import { createApiKey } from '../../src/platform/auth/api-keys.ts';
import { issueRoleApiKey } from '../../src/platform/auth/role-api-key.ts';
import { hasSeries, parsePrometheusText, sumOf, type PrometheusSample } from '../support/prometheus-text.ts';
import { createPostgresDatabase } from '../support/test-database.ts';
import { waitUntil } from '../support/wait-until.ts';

const actor = { kind: 'system' as const, id: 'metrics-test' };
const PURPOSE = 'marketing.communications.email';

function stewardConfig(folder: string, url: string, extra: object = {}) {
  return configSchema.parse({
    server: { port: 0 },
    database: { url, poolSize: 5 },
    jobs: { pollIntervalSeconds: 0.5 },
    audit: {
      createMissingKeys: true,
      signingKeyRef: `file:${join(folder, 'signing.pem')}`,
      pseudonymKeyRef: `file:${join(folder, 'pseudonym.key')}`,
    },
    ...extra,
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('metrics', () => {
  const folder = mkdtempSync(join(tmpdir(), 'steward-metrics-'));
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let serve: StewardRuntime;
  let owner: string;
  let prometheus: string;

  before(async () => {
    database = await createPostgresDatabase();
    serve = await startSteward(stewardConfig(folder, database.url), createLogger({ level: 'silent' }), {
      role: 'serve',
    });
    const { db } = serve.database;
    ({ token: owner } = await issueRoleApiKey(db, {
      role: 'owner',
      tenantId: 'default',
      name: 'owner',
      actor,
    }));
    ({ token: prometheus } = await createApiKey(db, {
      tenantId: 'default',
      name: 'prometheus',
      permissions: ['metrics:read'],
      expiresAt: null,
      actor,
    }));
  });
  after(async () => {
    await serve?.stop();
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  const call = (path: string, key: string | undefined, init: RequestInit = {}) =>
    fetch(`${serve.address}${path}`, {
      ...init,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
  async function scrape(): Promise<PrometheusSample[]> {
    const response = await call('/metrics', prometheus);
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  }

  test('/metrics answers a key with metrics:read only: none is 401, an admin 403', async () => {
    assert.equal((await call('/metrics', undefined)).status, 401);
    const { token: admin } = await issueRoleApiKey(serve.database.db, {
      role: 'admin',
      tenantId: 'default',
      name: 'admin',
      actor,
    });
    const refused = await call('/metrics', admin);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, 'auth.permission_missing');
    const scraped = await call('/metrics', prometheus);
    assert.equal(scraped.status, 200);
    assert.equal(scraped.headers.get('cache-control'), 'no-store');
  });

  test('requests, consent checks, DSR requests and the jobs they start move the figures', async () => {
    const before = await scrape();
    for (const name of [
      'steward_dsr_requests',
      'steward_dsr_requests_overdue',
      'steward_job_queue_jobs',
      'steward_events_pending',
      'steward_events_outbox_lag_seconds',
      'steward_audit_tree_size',
      'steward_consent_checks_total',
      'process_resident_memory_bytes',
    ])
      assert.ok(hasSeries(before, name), `${name} is scraped`);

    // A notice, a consent given, and three checks of that subject: the first may go to the database,
    // the next are answered from this process's cache.
    const notice = await call('/v1/consent/notices', owner, {
      method: 'POST',
      body: JSON.stringify({
        key: 'newsletter',
        purpose: PURPOSE,
        title: 'Newsletter',
        text: 'Weekly.',
        legalBasis: 'consent',
        mechanism: 'opt_in',
      }),
    });
    assert.equal(notice.status, 201);
    const recorded = await call('/v1/consent/records', owner, {
      method: 'POST',
      body: JSON.stringify({ subject: 'subscriber-1', changes: [{ purpose: PURPOSE, action: 'given' }] }),
    });
    assert.equal(recorded.status, 201);
    for (let i = 0; i < 3; i++) {
      const check = await call(`/v1/consent/check?subject=subscriber-1&purpose=${PURPOSE}`, owner);
      assert.equal(check.status, 200);
      assert.equal(((await check.json()) as { allowed: boolean }).allowed, true);
    }
    // A data subject request, verified by the agent: it is executed by jobs.
    const request = await call('/v1/requests', owner, {
      method: 'POST',
      body: JSON.stringify({
        type: 'access',
        identities: { email: 'someone@example.org' },
        contactEmail: 'someone@example.org',
        identityVerified: true,
      }),
    });
    assert.equal(request.status, 201, await request.clone().text());

    const after = await waitUntil('the DSR jobs have run and audit events were recorded', async () => {
      const now = await scrape();
      const dsrJobs = (samples: PrometheusSample[]) =>
        samples
          .filter((s) => s.name === 'steward_jobs_finished_total' && s.labels.queue?.startsWith('dsr.'))
          .reduce((total, s) => total + s.value, 0);
      // Audit events are recorded at once and integrated into the tree by the checkpoint job.
      const audited = (samples: PrometheusSample[]) =>
        sumOf(samples, 'steward_audit_tree_size') + sumOf(samples, 'steward_audit_pending_entries');
      return dsrJobs(now) > dsrJobs(before) && audited(now) > audited(before) ? now : undefined;
    });

    const checks = { method: 'GET', route: '/v1/consent/check', status_code: '200' };
    assert.equal(
      sumOf(after, 'steward_http_request_duration_seconds_count', checks) -
        sumOf(before, 'steward_http_request_duration_seconds_count', checks),
      3,
    );
    assert.equal(
      sumOf(after, 'steward_http_request_duration_seconds_bucket', { ...checks, le: '+Inf' }),
      sumOf(after, 'steward_http_request_duration_seconds_count', checks),
    );
    assert.equal(
      sumOf(after, 'steward_consent_checks_total') - sumOf(before, 'steward_consent_checks_total'),
      3,
    );
    assert.ok(
      sumOf(after, 'steward_consent_checks_total', { answered_from: 'cache' }) -
        sumOf(before, 'steward_consent_checks_total', { answered_from: 'cache' }) >=
        2,
      'repeated checks of one subject are answered from the cache',
    );
    assert.equal(sumOf(after, 'steward_dsr_requests') - sumOf(before, 'steward_dsr_requests'), 1);
    assert.equal(sumOf(after, 'steward_dsr_requests_overdue'), 0);
    assert.ok(
      sumOf(after, 'steward_job_duration_seconds_count') >
        sumOf(before, 'steward_job_duration_seconds_count'),
    );
    // No URL, query string or subject ever becomes a label.
    for (const sample of after)
      for (const value of Object.values(sample.labels)) assert.doesNotMatch(value, /subscriber-1|someone@/);
  });

  test('a worker serves its metrics on metrics.port, without credentials, and nothing else there', async () => {
    const port = await freePort();
    const worker = await startSteward(
      stewardConfig(folder, database.url, { metrics: { port } }),
      createLogger({ level: 'silent' }),
      { role: 'worker' },
    );
    try {
      assert.equal(worker.metricsAddress, `http://127.0.0.1:${port}`);
      const response = await fetch(`${worker.metricsAddress}/metrics`);
      assert.equal(response.status, 200);
      const samples = parsePrometheusText(await response.text());
      assert.ok(hasSeries(samples, 'steward_job_queue_jobs'));
      assert.ok(sumOf(samples, 'steward_job_queue_jobs', { queue: 'dsr.run-step' }) >= 0);
      assert.equal((await fetch(`${worker.metricsAddress}/v1/requests`)).status, 404);
    } finally {
      await worker.stop();
    }
  });
});
