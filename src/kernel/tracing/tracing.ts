import type { Attributes } from '@opentelemetry/api';
import type { TracingConfig } from '../config/kernel-config-schema.ts';
import type { ActiveTracing } from './active-tracing.ts';

let active: ActiveTracing | undefined;

/** What a span stands for, in OpenTelemetry's terms: work of its own, or a message sent or received. */
export type SpanRole = 'internal' | 'producer' | 'consumer';
const SPAN_KIND: Record<SpanRole, number> = { internal: 0, producer: 3, consumer: 4 };

/**
 * Runs `work` inside a span when tracing is on (HTTP, database and fetch spans made inside it become
 * its children); when it is off, just runs it — no OpenTelemetry code is loaded at all then.
 * Attributes name things (a queue, a subject prefix), never personal data.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
  role: SpanRole = 'internal',
): Promise<T> {
  const tracing = active;
  if (!tracing) return work();
  return tracing.tracer.startActiveSpan(name, { attributes, kind: SPAN_KIND[role] }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus(tracing.errorStatus);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Starts OpenTelemetry when `tracing.otlpEndpoint` is set: the SDK, the OTLP/HTTP exporter and the
 * instrumentations (HTTP server and client, Fastify routes, fetch, PostgreSQL) are imported only
 * then. Must run before the modules it instruments are imported (the CLI entry point calls it
 * first), or their spans are missing. Returns whether tracing is on.
 */
export async function startTracing(config: TracingConfig): Promise<boolean> {
  if (active || !config.otlpEndpoint) return active !== undefined;
  const { startOpenTelemetry } = await import('./open-telemetry.ts');
  active = await startOpenTelemetry({ ...config, otlpEndpoint: config.otlpEndpoint });
  return true;
}

/** Sends the spans still buffered and stops the SDK; nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const tracing = active;
  active = undefined;
  await tracing?.shutdown();
}
