import {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';

/**
 * Fastify's own request log lines, reduced to what is safe to keep: Fastify's defaults serialise
 * the URL with its query string, the client address and headers, all of which can carry personal
 * data (GDPR Art. 5(1)(c)). Here a request leaves one line, with the route pattern instead of
 * the URL, and errors leave their type and code; the error handler logs server faults itself.
 */
const PROBE_ROUTES = new Set(['/healthz', '/readyz']);
/** Loggers at these levels drop the completion line: it is not built for nothing. */
const LEVELS_ABOVE_INFO = new Set(['warn', 'error', 'fatal', 'silent']);

/** Told of every answered request, by route pattern (the HTTP metrics). */
export type RequestObserver = (method: string, route: string, statusCode: number, seconds: number) => void;

export class PrivacySafeLogController extends LogController {
  readonly #observe: RequestObserver | undefined;

  /**
   * `observe` hears of every answered request here, where Fastify reports completion anyway,
   * rather than from an onResponse hook of its own on every route.
   */
  constructor(observe?: RequestObserver) {
    super();
    this.#observe = observe;
  }

  override incomingRequest(): void {
    // The completion line says everything worth keeping.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const route = request.routeOptions.url ?? 'unmatched';
    this.#observe?.(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    // Successful health probes arrive every few seconds from the orchestrator and say nothing.
    if (!error && reply.statusCode < 400 && PROBE_ROUTES.has(route)) return;
    if (!error && LEVELS_ABOVE_INFO.has(reply.log.level)) return;
    const line = {
      method: request.method,
      route,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.warn({ ...line, err: error }, 'request ended with an error');
    else reply.log.info(line, 'request completed');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    // Only reached if a plugin bypasses Steward's error handler.
    reply.log.warn(
      { route: request.routeOptions.url ?? 'unmatched', statusCode: reply.statusCode, err: error },
      'request failed',
    );
  }

  override routeNotFound(): void {
    // The not-found handler answers, and the completion line records the 404 without the URL.
  }

  override streamError(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
    reply.log.warn({ err: error }, 'response stream ended with an error');
  }

  override writeHeadError(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
    reply.log.warn({ err: error }, 'response headers could not be written');
  }

  override serializerError(
    error: Error,
    _request: FastifyRequest,
    reply: FastifyReply,
    metadata: { statusCode: number },
  ): void {
    reply.log.error({ err: error, statusCode: metadata.statusCode }, 'response serialisation failed');
  }

  override serviceUnavailable(logger: FastifyBaseLogger, _server: FastifyInstance): void {
    logger.info({ statusCode: 503 }, 'request refused: the server is shutting down');
  }
}
