import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * Attributes instrumentations record that can identify a person (GDPR Art. 4(1)): client and peer
 * addresses, the user agent, and query strings (a consent check's subject travels in one).
 */
const DROPPED = new Set([
  'url.query',
  'client.address',
  'client.port',
  'network.peer.address',
  'network.peer.port',
  'user_agent.original',
  'http.client_ip',
  'http.user_agent',
  'net.peer.ip',
  'net.sock.peer.addr',
]);
/** Attributes holding a URL or a path, kept without their query string. */
const URLS = new Set(['url.full', 'url.path', 'http.url', 'http.target']);

/** A span's attributes as they may leave the process. */
export function withoutPersonalData(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (DROPPED.has(key)) continue;
    kept[key] = URLS.has(key) && typeof value === 'string' ? value.split('?')[0] : value;
  }
  return kept;
}

/**
 * Wraps the exporter so no span leaves with personal data in its attributes, whatever an
 * instrumentation records: one place, applied to every span, instead of an option per instrumentation.
 */
export function exportWithoutPersonalData(exporter: SpanExporter): SpanExporter {
  return {
    export(spans: ReadableSpan[], done) {
      exporter.export(
        spans.map((span) =>
          Object.create(span, {
            attributes: { value: withoutPersonalData(span.attributes), enumerable: true },
          }),
        ),
        done,
      );
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
