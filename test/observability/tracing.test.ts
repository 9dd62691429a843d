// OpenTelemetry traces of a real `steward serve` (issue 10), exported over OTLP/HTTP to a receiver in
// this test: a request's server span with its database spans, a job's span with its queries, the
// webhook delivery and the NATS publish an event causes. Without tracing configured, the process
// loads no OpenTelemetry SDK, exporter or instrumentation (recorded by a resolve hook in
// test/fixtures/observability).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { spawnSteward, type StewardProcess } from '../support/steward-process.ts';
import { createPostgresDatabase } from '../support/test-database.ts';
import { waitUntil } from '../support/wait-until.ts';

const NATS_URL = process.env.STEWARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const RECORD_IMPORTS = fileURLToPath(
  new URL('../fixtures/observability/record-imports.mjs', import.meta.url),
);
const PURPOSE = 'marketing.communications.email';
const SUBJECT = 'traced-subscriber-7';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's enum: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  scope: string;
  attributes: Record<string, string | number | boolean>;
}

/** An OTLP/HTTP receiver (JSON encoding, as @opentelemetry/exporter-trace-otlp-http sends it). */
async function startOtlpReceiver(): Promise<{ url: string; spans: ExportedSpan[]; server: Server }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      assert.equal(request.url, '/v1/traces');
      assert.match(String(request.headers['content-type']), /^application\/json/);
      for (const resource of JSON.parse(body).resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? [])
          for (const span of scope.spans ?? [])
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: span.kind,
              scope: scope.scope?.name ?? '',
              attributes: Object.fromEntries(
                (span.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [
                  a.key,
                  Object.values(a.value)[0],
                ]),
              ),
            });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans, server };
}

/** A webhook receiver that answers 200 to every delivery. */
async function startWebhookReceiver(): Promise<{ url: string; deliveries: number; server: Server }> {
  const state = { url: '', deliveries: 0, server: createServer() };
  state.server.on('request', (request, response) => {
    request.resume().on('end', () => {
      state.deliveries++;
      response.writeHead(200).end();
    });
  });
  state.server.listen(0, '127.0.0.1');
  await once(state.server, 'listening');
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/hook`;
  return state;
}

describe('tracing', () => {
  const folder = mkdtempSync(join(tmpdir(), 'steward-tracing-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  async function serveIn(name: string, config: object): Promise<{ steward: StewardProcess; base: string }> {
    const postgres = await createPostgresDatabase();
    cleanups.push(() => postgres.drop());
    const cwd = join(folder, name);
    rmSync(cwd, { recursive: true, force: true });
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, 'steward.yaml'),
      stringify({
        database: { url: postgres.url, poolSize: 5 },
        server: { port: 0 },
        jobs: { pollIntervalSeconds: 0.5 },
        logging: { level: 'warn' },
        ...config,
      }),
    );
    const steward = spawnSteward(['serve'], {
      cwd,
      nodeArgs: ['--import', RECORD_IMPORTS],
      // Webhook signing secrets are stored encrypted: every process needs the master key.
      env: {
        IMPORT_LOG_FILE: join(cwd, 'imports.log'),
        STEWARD_MASTER_KEY: randomBytes(32).toString('base64'),
      },
    });
    cleanups.push(() => steward.stop());
    const [, base] = await steward.waitForStdout(/listening on (http:\/\/[^\s(]+)/, 120_000);
    return { steward, base: base! };
  }

  async function ownerKey(cwd: string): Promise<string> {
    const created = spawnSteward(
      ['apikey', 'create', '--role', 'owner', '--name', 'tracing-test', '--json'],
      { cwd },
    );
    const exit = await created.exited;
    assert.equal(exit.code, 0, created.stderr());
    return (JSON.parse(created.stdout()) as { key: string }).key;
  }

  test('a request, a job, a webhook delivery and a NATS publish arrive as spans at the OTLP endpoint', async () => {
    const receiver = await startOtlpReceiver();
    cleanups.push(async () => receiver.server.close());
    const webhooks = await startWebhookReceiver();
    cleanups.push(async () => webhooks.server.close());
    const { steward, base } = await serveIn('traced', {
      tracing: { otlpEndpoint: receiver.url, serviceName: 'steward-under-test' },
      events: { nats: { url: NATS_URL }, webhookAllowedNetworks: ['127.0.0.1/32'] },
    });
    const key = await ownerKey(join(folder, 'traced'));
    const call = async (method: string, path: string, body?: object) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      assert.ok(
        response.status < 300,
        `${method} ${path}: ${response.status} ${await response.clone().text()}`,
      );
      return response.json();
    };
    await call('POST', '/v1/webhooks', { url: webhooks.url, eventTypes: ['*'] });
    await call('POST', '/v1/consent/notices', {
      key: 'newsletter',
      purpose: PURPOSE,
      title: 'Newsletter',
      text: 'Weekly.',
      legalBasis: 'consent',
      mechanism: 'opt_in',
    });
    await call('POST', '/v1/consent/records', {
      subject: SUBJECT,
      changes: [{ purpose: PURPOSE, action: 'given' }],
    });
    await call('GET', `/v1/consent/check?subject=${SUBJECT}&purpose=${PURPOSE}`);
    await call('POST', '/v1/requests', {
      type: 'access',
      identities: { email: 'traced@example.org' },
      contactEmail: 'traced@example.org',
      identityVerified: true,
    });
    await waitUntil('the consent events reached the webhook', async () =>
      webhooks.deliveries > 0 ? true : undefined,
    );
    // Spans leave in batches every few seconds: wait for the NATS publish to be among them.
    await waitUntil('the NATS publish was exported', async () =>
      receiver.spans.some((s) => s.kind === 4 && s.name.startsWith('publish steward.')) ? true : undefined,
    );
    // Shutdown flushes what the batch processor still holds.
    const exit = await steward.stop();
    assert.equal(exit.code, 0, steward.stderr());

    const { spans } = receiver;
    const byId = new Map(spans.map((span) => [span.spanId, span]));

    const check = spans.find((s) => s.kind === 2 && s.name === 'GET /v1/consent/check');
    assert.ok(
      check,
      `a server span for the check among ${[...new Set(spans.map((s) => s.name))].join(', ')}`,
    );
    assert.equal(check.attributes['http.route'], '/v1/consent/check');
    // The caller's address and user agent identify a person: they never leave the process.
    assert.equal(check.attributes['client.address'], undefined);
    assert.equal(check.attributes['user_agent.original'], undefined);

    // The consent record's queries are children (through Fastify's spans) of its request's span.
    const record = spans.find((s) => s.kind === 2 && s.name === 'POST /v1/consent/records');
    assert.ok(record);
    const queriesOfRecord = spans.filter(
      (s) => s.traceId === record.traceId && s.attributes['db.system.name'] === 'postgresql',
    );
    assert.ok(queriesOfRecord.length > 0, 'the request traced its database statements');
    for (const query of queriesOfRecord) assert.equal(query.kind, 3);

    const job = spans.find((s) => s.kind === 5 && s.name === 'job dsr.run-step');
    assert.ok(job, 'a consumer span for the DSR step job');
    assert.equal(job.attributes['messaging.destination.name'], 'dsr.run-step');
    assert.ok(
      spans.some((s) => s.traceId === job.traceId && s.scope === '@opentelemetry/instrumentation-pg'),
      'the job traced its database statements',
    );

    const delivery = spans.find(
      (s) => s.kind === 3 && String(s.attributes['url.full'] ?? '') === webhooks.url,
    );
    assert.ok(delivery, 'a client span for the webhook delivery');
    assert.equal(delivery.attributes['http.request.method'], 'POST');

    const publish = spans.find((s) => s.kind === 4 && s.name.startsWith('publish steward.'));
    assert.ok(publish, 'a producer span for the NATS publish');
    assert.equal(publish.attributes['messaging.system'], 'nats');

    // No span carries the data subject, the e-mail or a query string.
    for (const span of spans)
      for (const value of [span.name, ...Object.values(span.attributes)])
        assert.doesNotMatch(
          String(value),
          new RegExp(`${SUBJECT}|traced@example|subject=`),
          `${span.scope} ${span.name} ${JSON.stringify(span.attributes)}`,
        );
    assert.ok(byId.size === spans.length, 'every span was exported once');
  });

  test('without tracing configured, no OpenTelemetry SDK or instrumentation is loaded', async () => {
    const { steward, base } = await serveIn('untraced', {});
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    await steward.stop();
    const log = join(folder, 'untraced', 'imports.log');
    assert.equal(existsSync(log) ? readFileSync(log, 'utf8') : '', '');
    // The hook does record them when tracing is on (the test above ran with it).
    assert.match(readFileSync(join(folder, 'traced', 'imports.log'), 'utf8'), /@opentelemetry\/sdk-node/);
  });
});
