import type { Tracer } from '@opentelemetry/api';

/** What a started SDK hands over: the tracer for Steward's own spans and a way to flush and stop. */
export interface ActiveTracing {
  tracer: Tracer;
  /** Marks a span failed (SpanStatusCode.ERROR), from the API package the SDK loaded. */
  errorStatus: { code: number };
  shutdown(): Promise<void>;
}
