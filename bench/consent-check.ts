// Consent checks and event propagation (issue 4). On a fresh PostgreSQL database holding 1M consent
// records (generated in SQL):
//  - GET /v1/consent/check over HTTP (autocannon, 10 connections, 3 s, best of 2 alternating rounds)
//    against a bare Fastify route returning constant JSON: goal ≥ 0.8× and p99 ≤ 2 ms. Fair
//    baseline: both are one `node` process of the same Node, with a pino logger at the same level
//    (warn), loaded with the same requests (same path, query strings and Authorization header).
//    Steward authenticates the API key, checks the permission and tenant, validates the query and
//    sends its security headers on every request; the baseline does none of that. The 10,000
//    subjects asked about are first checked once in batches, so the measurement is of the cache
//    (kept current by LISTEN/NOTIFY) — the row after it measures checks that miss the cache and
//    read PostgreSQL;
//  - checks per second through the embedded client (local cache) against HTTP round trips;
//  - events per second delivered to a local webhook receiver and to NATS JetStream, against the
//    receiver/NATS driven directly at the same concurrency.
// Bounded and on 127.0.0.1 only. BENCH_CONSENT_RECORDS overrides the 1M.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import autocannon from 'autocannon';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { issueRoleApiKey } from '../src/platform/auth/role-api-key.ts';
import { createNotice } from '../src/modules/consent/use-cases/notices.ts';
import { createConsentClient } from '../packages/consent-client/src/consent-client.ts';
import { migrateSteward } from '../src/app/start-steward.ts';
import type { Database } from '../src/app/database.ts';
import { openDatabase, type StewardDatabase } from '../src/kernel/database/open-database.ts';
import { createEventDispatcher } from '../src/platform/events/event-dispatcher.ts';
import { eventsConfigSchema } from '../src/platform/events/events-config-schema.ts';
import { startLocalWebhookReceiver } from '../src/platform/events/local-webhook-receiver.ts';
import { createWebhook } from '../src/platform/events/webhook-store.ts';
import { createLogger } from '../src/kernel/logging/logger.ts';
import { createStewardSecrets } from '../src/platform/secrets/steward-secrets.ts';
import { createTaxonomy } from '../src/platform/taxonomy/taxonomy.ts';
import type { Benchmark, BenchmarkRow } from './benchmark.ts';
import { freePort, ROOT, stewardEnv, stopProcess, waitUntilAnswering } from './bench-processes.ts';

/** The baseline: the same route path answered with constant JSON by Fastify with Steward's logger level. */
const BARE_CHECK_ROUTE = `
import Fastify from 'fastify';
const app = Fastify({ logger: { level: 'warn' } });
app.get('/v1/consent/check', async () => ({ allowed: true, purpose: 'marketing.communications.email', reason: 'consent_given' }));
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[1]) });
`;

/**
 * The baseline of cache misses: the same lookup done with hand-written SQL — a bare Fastify route
 * with a pg pool of Steward's size, reading the subject's state and latest TC string in one
 * statement over the same indexes and answering allowed or not. No authentication, no cache.
 */
const HAND_WRITTEN_CHECK_ROUTE = `
import Fastify from 'fastify';
import pg from 'pg';
const pool = new pg.Pool({ connectionString: process.argv[2], max: 10 });
const app = Fastify({ logger: { level: 'warn' } });
app.get('/v1/consent/check', async (request) => {
  const { subject, purpose } = request.query;
  const { rows } = await pool.query(
    \`select (select coalesce(json_agg(s), '[]') from (select purpose, status, ledger_id, notice_key,
          notice_version, legal_basis, source, occurred_at, expires_at
        from consent_state where tenant_id = $1 and subject = $2) s) as states,
      (select to_json(t) from (select id, purpose_consents, purpose_legitimate_interests, vendor_consents,
          vendor_legitimate_interests, special_feature_optins, string_updated_at
        from consent_tcf_records where tenant_id = $1 and subject = $2 order by position desc limit 1) t) as tcf\`,
    ['default', subject],
  );
  const state = rows[0].states.find((row) => row.purpose === purpose);
  const allowed = state?.status === 'given' && (state.expires_at === null || new Date(state.expires_at) > new Date());
  return { allowed, purpose, reason: allowed ? 'consent_given' : 'not_given' };
});
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[1]) });
`;

const RECORDS = Number(process.env.BENCH_CONSENT_RECORDS ?? 1_000_000);
const SUBJECTS_QUERIED = 10_000;
const SECONDS = 3;
const CONNECTIONS = 10;
const EVENTS = 5_000;
const ADMIN_URL = process.env.STEWARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NATS_URL = process.env.STEWARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const PURPOSE = 'marketing.communications.email';
const actor = { kind: 'system' as const, id: 'bench', tenantId: 'default' };

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(statement).finally(() => client.end());
}

export const consentCheckBenchmark: Benchmark = {
  name: `consent check and propagation (${RECORDS.toLocaleString('en')} consent records on PostgreSQL)`,
  async run() {
    const name = `steward_bench_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const folder = mkdtempSync(join(tmpdir(), 'steward-bench-consent-'));
    const database = await openDatabase<Database>({
      url: url.toString(),
      dataDir: 'unused',
      poolSize: 10,
      connectAttempts: 3,
      statementTimeoutMs: 0,
    });
    const children: Array<ReturnType<typeof spawn>> = [];
    try {
      await migrateSteward(database);
      await createNotice(database.db, createTaxonomy(), actor, {
        key: 'newsletter',
        purpose: PURPOSE,
        title: 'Newsletter',
        text: 'Weekly.',
        legalBasis: 'consent',
        mechanism: 'opt_in',
      });
      const notice = await database.db.selectFrom('consent_notices').select('id').executeTakeFirstOrThrow();
      await generateConsents(database.db, notice.id);
      const { token } = await issueRoleApiKey(database.db, {
        role: 'request_agent',
        tenantId: 'default',
        name: 'bench',
        actor,
      });

      const [stewardPort, barePort, sqlPort] = [await freePort(), await freePort(), await freePort()];
      writeFileSync(
        join(folder, 'steward.yaml'),
        `database:\n  url: ${url}\nserver:\n  port: ${stewardPort}\n  rateLimit:\n    max: 100000000\njobs:\n  runInServe: false\naudit:\n  createMissingKeys: true\nlogging:\n  level: warn\n`,
      );
      const steward = spawn(process.execPath, [join(ROOT, 'src', 'app', 'cli', 'steward.ts'), 'serve'], {
        cwd: folder,
        stdio: 'ignore',
        env: stewardEnv(),
      });
      const bare = spawn(
        process.execPath,
        ['--input-type=module', '-e', BARE_CHECK_ROUTE, String(barePort)],
        { cwd: ROOT, stdio: 'ignore' },
      );
      const handWritten = spawn(
        process.execPath,
        ['--input-type=module', '-e', HAND_WRITTEN_CHECK_ROUTE, String(sqlPort), url.toString()],
        { cwd: ROOT, stdio: 'ignore' },
      );
      children.push(steward, bare, handWritten);
      await waitUntilAnswering(`http://127.0.0.1:${stewardPort}/readyz`, steward, 120_000);
      await waitUntilAnswering(`http://127.0.0.1:${barePort}/healthz`, bare);
      await waitUntilAnswering(`http://127.0.0.1:${sqlPort}/healthz`, handWritten);

      const headers = { authorization: `Bearer ${token}` };
      const checkPath = (first: number, count: number) => () =>
        `/v1/consent/check?subject=s${first + Math.floor(Math.random() * count)}&purpose=${PURPOSE}`;
      const load = (port: number, path: () => string, seconds = SECONDS) =>
        autocannon({
          url: `http://127.0.0.1:${port}/v1/consent/check`,
          connections: CONNECTIONS,
          duration: seconds,
          headers,
          requests: [{ setupRequest: (request) => ({ ...request, path: path() }) }],
        });
      const queried = checkPath(0, SUBJECTS_QUERIED);
      await warmCache(`http://127.0.0.1:${stewardPort}`, token);
      await load(stewardPort, queried, 1);
      await load(barePort, queried, 1);
      const stewardRuns = [];
      const bareRuns = [];
      for (let round = 0; round < 2; round++) {
        bareRuns.push(await load(barePort, queried));
        stewardRuns.push(await load(stewardPort, queried));
      }
      // Subjects nobody asked about yet: nearly every check misses the cache and reads PostgreSQL.
      // Alternating rounds against the hand-written SQL route, best of each; each round asks about
      // its own fresh stretch of subjects, so a repeat never hits a cache (Steward's or the server's).
      const fresh = (round: number, side: number) => {
        const stretch = Math.floor((RECORDS - SUBJECTS_QUERIED) / 4);
        return checkPath(SUBJECTS_QUERIED + (round * 2 + side) * stretch, stretch);
      };
      const coldRuns = [];
      const sqlRuns = [];
      for (let round = 0; round < 2; round++) {
        sqlRuns.push(await load(sqlPort, fresh(round, 0), 2));
        coldRuns.push(await load(stewardPort, fresh(round, 1), 2));
      }
      const cold = coldRuns.reduce((a, b) => (a.requests.average >= b.requests.average ? a : b));
      const sqlBest = sqlRuns.reduce((a, b) => (a.requests.average >= b.requests.average ? a : b));
      for (const run of [...stewardRuns, ...bareRuns, ...coldRuns, ...sqlRuns])
        if (run.non2xx > 0 || run.errors > 0)
          throw new Error(`${run.non2xx} non-2xx answers, ${run.errors} errors`);
      const best = stewardRuns.reduce((a, b) => (a.requests.average >= b.requests.average ? a : b));
      const bareBest = bareRuns.reduce((a, b) => (a.requests.average >= b.requests.average ? a : b));

      const clientRate = await clientChecksPerSecond(`http://127.0.0.1:${stewardPort}`, token);
      const rows: BenchmarkRow[] = [
        {
          name: 'GET /v1/consent/check',
          unit: 'req/s',
          value: best.requests.average,
          baseline: bareBest.requests.average,
          baselineName: 'bare Fastify, constant JSON',
          goal: { text: '≥ 0.8× baseline', met: best.requests.average / bareBest.requests.average >= 0.8 },
        },
        {
          name: 'GET /v1/consent/check p99 latency',
          unit: 'ms',
          value: best.latency.p99,
          baseline: bareBest.latency.p99,
          baselineName: 'bare Fastify p99',
          goal: { text: '≤ 2 ms', met: best.latency.p99 <= 2 },
        },
        {
          name: `GET /v1/consent/check, cache misses over ${(RECORDS - SUBJECTS_QUERIED).toLocaleString('en')} subjects (indexed read)`,
          unit: 'req/s',
          value: cold.requests.average,
          baseline: sqlBest.requests.average,
          baselineName: 'the same lookup in hand-written SQL behind bare Fastify',
          goal: {
            text: `≥ 0.5× (p99 ${cold.latency.p99} ms vs ${sqlBest.latency.p99} ms)`,
            met: cold.requests.average / sqlBest.requests.average >= 0.5,
          },
        },
        {
          name: 'embedded client checks (local cache)',
          unit: 'checks/s',
          value: clientRate,
          baseline: best.requests.average,
          baselineName: 'HTTP checks',
          goal: { text: '> HTTP', met: clientRate > best.requests.average },
        },
        ...(await propagation(database)),
      ];
      return rows;
    } finally {
      for (const child of children) await stopProcess(child as never);
      await database.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(folder, { recursive: true, force: true });
    }
  },
};

/** 1M ledger entries and their projection, by SQL: subjects s0…, half given, a tenth withdrawn later. */
async function generateConsents(db: Kysely<Database>, noticeId: string): Promise<void> {
  await sql`
    insert into consent_ledger (id, tenant_id, subject, purpose, action, notice_id, notice_version, legal_basis, source, occurred_at, expires_at, actor_kind, actor_id)
    select gen_random_uuid()::text, 'default', 's' || g, ${PURPOSE}, case when g % 10 = 0 then 'withdrawn' else 'given' end, ${noticeId}, 1, 'consent', 'import',
      now() - interval '30 days', case when g % 10 = 0 then null else now() + interval '300 days' end, 'system', 'bench'
    from generate_series(0, ${RECORDS - 1}) g`.execute(db);
  await sql`
    insert into consent_state (tenant_id, subject, purpose, status, ledger_id, notice_id, notice_key, notice_version, legal_basis, source, occurred_at, expires_at)
    select tenant_id, subject, purpose, action, id, notice_id, 'newsletter', notice_version, legal_basis, source, occurred_at, expires_at from consent_ledger`.execute(
    db,
  );
  await sql`analyze`.execute(db);
}

/** Checks every queried subject once, 1,000 per batch request, so the cache holds them. */
async function warmCache(baseUrl: string, apiKey: string): Promise<void> {
  for (let first = 0; first < SUBJECTS_QUERIED; first += 1000) {
    const checks = Array.from({ length: 1000 }, (_, i) => ({ subject: `s${first + i}`, purpose: PURPOSE }));
    const response = await fetch(`${baseUrl}/v1/consent/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ checks }),
    });
    if (response.status !== 200)
      throw new Error(`warming the cache: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  }
}

async function clientChecksPerSecond(baseUrl: string, apiKey: string): Promise<number> {
  const client = createConsentClient({ baseUrl, apiKey, ttlMs: 60_000 });
  const subjects = Array.from({ length: 1000 }, (_, i) => `s${i}`);
  await client.checkMany(subjects.map((subject) => ({ subject, purpose: PURPOSE })));
  let checks = 0;
  const started = performance.now();
  while (performance.now() - started < 1000) {
    for (let i = 0; i < 1000; i++) await client.check({ subject: subjects[i]!, purpose: PURPOSE });
    checks += 1000;
  }
  return checks / ((performance.now() - started) / 1000);
}

async function propagation(database: StewardDatabase<Database>): Promise<BenchmarkRow[]> {
  const { db } = database;
  const receiver = await startLocalWebhookReceiver();
  const logger = createLogger({ level: 'silent' });
  const secrets = createStewardSecrets(db, { STEWARD_MASTER_KEY: randomBytes(32).toString('base64') });
  try {
    const webhook = await createWebhook(db, secrets.store, actor, {
      url: receiver.url,
      eventTypes: ['bench.*'],
    });
    receiver.setSecret(webhook.secret!);
    await outboxEvents(db, 'webhook');
    const dispatcher = createEventDispatcher(
      db,
      eventsConfigSchema.parse({
        webhookAllowedNetworks: ['127.0.0.1'],
        dispatcher: { batchSize: 500, concurrency: 32 },
      }),
      logger,
      secrets,
    );
    const started = performance.now();
    await dispatcher.drain(10_000);
    const webhookRate = EVENTS / ((performance.now() - started) / 1000);
    await dispatcher.stop();
    // Baseline: the same receiver, POSTed to directly at the same concurrency.
    const body = JSON.stringify({ specversion: '1.0', id: 'x', type: 'bench.x', source: '/bench', data: {} });
    const baseStarted = performance.now();
    const { webhookSignatureHeaders } = await import('../src/platform/events/webhook-signature.ts');
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next++ < EVENTS) {
          const response = await fetch(receiver.url, {
            method: 'POST',
            body,
            headers: webhookSignatureHeaders(webhook.secret!, 'x', body, Math.floor(Date.now() / 1000)),
          });
          await response.arrayBuffer();
        }
      }),
    );
    const directRate = EVENTS / ((performance.now() - baseStarted) / 1000);
    await db.updateTable('event_webhooks').set({ active: false }).execute();

    await outboxEvents(db, 'nats');
    const natsDispatcher = createEventDispatcher(
      db,
      eventsConfigSchema.parse({ nats: { url: NATS_URL }, dispatcher: { batchSize: 500, concurrency: 32 } }),
      logger,
      secrets,
    );
    const natsStarted = performance.now();
    await natsDispatcher.drain(10_000);
    const natsRate = EVENTS / ((performance.now() - natsStarted) / 1000);
    await natsDispatcher.stop();
    const nc = await connect({ servers: NATS_URL });
    const js = jetstream(nc);
    const rawStarted = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (sent++ < EVENTS) await js.publish('steward.bench.raw', body);
      }),
    );
    const rawRate = EVENTS / ((performance.now() - rawStarted) / 1000);
    await nc.close();
    return [
      {
        name: `events delivered to a webhook (${EVENTS} events, 500 subjects)`,
        unit: 'events/s',
        value: webhookRate,
        baseline: directRate,
        baselineName: 'direct signed POSTs',
        goal: { text: 'reported', met: true },
      },
      {
        name: `events delivered to NATS JetStream (${EVENTS} events)`,
        unit: 'events/s',
        value: natsRate,
        baseline: rawRate,
        baselineName: 'direct JetStream publishes',
        goal: { text: 'reported', met: true },
      },
    ];
  } finally {
    await receiver.close();
  }
}

/** EVENTS outbox rows over 500 subjects, through publishEvent's SQL in one statement each batch. */
async function outboxEvents(db: Kysely<Database>, label: string): Promise<void> {
  const { publishEvent } = await import('../src/platform/events/publish-event.ts');
  await db.transaction().execute(async (trx) => {
    for (let n = 0; n < EVENTS; n++) {
      await publishEvent(trx, {
        tenantId: 'default',
        type: `bench.${label}`,
        source: 'bench',
        topic: `bench.${label}`,
        subject: `b${n % 500}`,
        data: { n },
      });
    }
  });
}
