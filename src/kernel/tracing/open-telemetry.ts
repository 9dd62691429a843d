// Loaded only when tracing is configured (src/kernel/tracing/tracing.ts): the OpenTelemetry SDK,
// the OTLP/HTTP exporter and the instrumentations. Nothing here runs in a process without tracing.
import { register as registerHooks } from 'node:module';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { register as registerSyncHooks, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';
import type { TracingConfig } from '../config/kernel-config-schema.ts';
import { STEWARD_VERSION } from '../version.ts';
import type { ActiveTracing } from './active-tracing.ts';
import { exportWithoutPersonalData } from './personal-data-filter.ts';

/** The packages patched at import: PostgreSQL (pg and its pool). HTTP, Fastify and fetch are traced through diagnostics channels and Node's own modules. */
const PATCHED_PACKAGES = ['pg', 'pg-pool'];

export async function startOpenTelemetry(
  config: TracingConfig & { otlpEndpoint: string },
): Promise<ActiveTracing> {
  // ESM imports are patched through a loader hook, which must be in place before pg is imported.
  if (supportsSyncHooks()) registerSyncHooks({ include: PATCHED_PACKAGES });
  else {
    const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
    registerHooks('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
    await waitForAllMessagesAcknowledged();
  }
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    resourceDetectors: [],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: exportWithoutPersonalData(new OTLPTraceExporter({ url: config.otlpEndpoint })),
      }),
    ],
    instrumentations: [
      // Server spans for every request and client spans for outbound node:http (query strings and
      // addresses are removed before export: personal-data-filter.ts).
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => request.url === '/healthz' }),
      // A span per route with its pattern, and one for its handler; hooks are not worth a span each.
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: false,
        // Its url.path is the URL as sent, query string included (a consent check's subject): the path only.
        requestHook: (span, request) => span.setAttribute('url.path', request.url.split('?')[0]!),
      }),
      // fetch (webhooks, OIDC, HTTP connectors): through undici's diagnostics channel.
      new UndiciInstrumentation(),
      // Statements as SQL text with placeholders (bound values are never recorded), inside a request
      // or a job only: pg-boss's polling would otherwise be most of what is exported.
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  sdk.start();
  return {
    tracer: trace.getTracer('steward', STEWARD_VERSION),
    errorStatus: { code: SpanStatusCode.ERROR },
    shutdown: () => sdk.shutdown(),
  };
}
