import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyContextConfig,
  type FastifyPluginAsync,
  type FastifyReply,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { NotFound, TooManyRequests } from '../errors/domain-error.ts';
import { mapErrorToHttp, sendProblem } from './error-mapping.ts';
import { registerHealthRoutes, type Readiness } from './health-routes.ts';
import { guardRequestInput } from './request-input-guard.ts';
import {
  openApiDocumentTransform,
  openApiRouteTransform,
  type OpenApiOptions,
} from './openapi-conventions.ts';
import { PrivacySafeLogController } from './privacy-safe-log-controller.ts';
import { DOCUMENT_SECURITY_HEADERS, SECURITY_HEADERS } from './security-headers.ts';
import type { StewardApp } from './steward-app.ts';
import type { ServerConfig } from '../config/kernel-config-schema.ts';
import { lazyRequestLoggers } from '../logging/lazy-request-logger.ts';
import type { Logger } from '../logging/logger.ts';
import type { StewardMetrics } from '../metrics/steward-metrics.ts';
import { STEWARD_VERSION } from '../version.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** A module's routes with its dependencies already bound (the app binds them from the manifests). */
export type RouteRegistration = (app: StewardApp) => void | Promise<void>;

export interface AppOptions {
  server: ServerConfig;
  logger: Logger;
  /** Run by /readyz: resolves when the database answers. */
  probeDatabase: () => Promise<void>;
  readiness: Readiness;
  /**
   * The auth contract: a plugin that authenticates every request to the routes registered after it
   * (all of /v1), refuses a route that declares no `config.permission` or `config.public`, and checks
   * the permission. Provided by the platform (src/platform/auth).
   */
  authenticate: FastifyPluginAsync;
  /** Outside /v1, before authentication: well-known documents and the browser apps. */
  publicRoutes: readonly RouteRegistration[];
  /** Under /v1, after authentication. */
  routes: readonly RouteRegistration[];
  /**
   * The HTTP histograms go to `metrics`; with `routeConfig` (the auth contract's declaration, e.g.
   * a permission) GET /metrics serves them too, after authentication. Absent: no HTTP metrics.
   */
  metrics?: { metrics: StewardMetrics; routeConfig?: FastifyContextConfig };
  /** Servers, tag descriptions and security schemes of the OpenAPI document (the kernel knows none). */
  openapi: OpenApiOptions;
}

/**
 * Builds the HTTP API: plugins in the order they apply, then /healthz and /readyz, the public
 * routes, authentication, and every module's routes under /v1. Listening is the caller's job, so
 * tests can use `inject`.
 */
export async function createApp(options: AppOptions): Promise<StewardApp> {
  const { server } = options;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: server.bodyLimitBytes,
    trustProxy: server.trustProxy,
    return503OnClosing: true,
    requestIdHeader: false,
    // A caller's X-Request-Id is kept when it looks like an id, so traces join up across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    childLoggerFactory: lazyRequestLoggers,
    logController: new PrivacySafeLogController(
      options.metrics && options.metrics.metrics.observeRequest.bind(options.metrics.metrics),
    ),
    ajv: { customOptions: { removeAdditional: false } },
    // Errors the router raises before any hook (malformed URL, over-long path parameter) get the one
    // error body of the API too, instead of Fastify's own shape.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      return sendProblem(reply as unknown as FastifyReply, mapErrorToHttp(error, request.id));
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // A callback hook, not an async one: it runs on every request and needs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    reply.header('x-request-id', request.id);
    done();
  });
  // Input no route can take (NUL characters, absurd nesting) is refused before schemas and handlers see it.
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      guardRequestInput(request);
      // `curl -X POST …/approve` sends no body: read it as {}, so a body of optional fields needs
      // none and one with required fields names them, rather than "expected object, received null".
      if (request.body == null && request.routeOptions.schema?.body && hasNoContent(request.headers))
        request.body = {};
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  // close() drops the connections that are idle when it starts; a keep-alive connection whose
  // request was still in flight then would hold the server open until keepAliveTimeout (72 s).
  // Dropping idle connections every 100 ms while closing lets shutdown end when the last request does.
  let dropIdle: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    dropIdle = setInterval(() => app.server.closeIdleConnections(), 100);
  });
  app.addHook('onClose', async () => clearInterval(dropIdle));

  app.setErrorHandler((error, request, reply) => {
    const mapped = mapErrorToHttp(error, request.id);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, mapped);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      mapErrorToHttp(
        new NotFound(
          'route.not_found',
          `No route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`,
        ),
        request.id,
      ),
    ),
  );

  await app.register(rateLimit, {
    max: server.rateLimit.max,
    timeWindow: server.rateLimit.timeWindowMs,
    // The limit and what is left are told when it is exceeded (with Retry-After), not on every
    // answer: three more headers on each request of the API's hot paths, for an informational hint.
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    // Thrown, so it reaches the error handler and gets the one error body like everything else.
    errorResponseBuilder: (_request, context) =>
      new TooManyRequests(
        'request.rate_limited',
        `Rate limit of ${context.max} requests per ${context.after} exceeded. Retry after ${Math.ceil(context.ttl / 1000)} s.`,
        {
          limit: context.max,
          retryAfterSeconds: Math.ceil(context.ttl / 1000),
        },
      ),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Steward API',
        version: STEWARD_VERSION,
        description:
          'Privacy-operations control plane: data map, data subject requests, consent, retention, audit. ' +
          'Authenticate with an API key (`Authorization: Bearer stw_…`) or a console session; errors are ' +
          'RFC 9457 problem details (https://steward.dev/problems/).',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      // Declared here already: @fastify/swagger resolves each operation's security against them.
      components: { securitySchemes: options.openapi.securitySchemes },
    },
    transform: openApiRouteTransform(options.openapi),
    transformObject: openApiDocumentTransform(options.openapi),
  });
  // HTML documents (Swagger UI, the browser apps) and the public documents beside them get the
  // document-only headers too, in a context of their own so the API's answers do not carry them.
  await app.register(async (documents) => {
    documents.addHook('onRequest', (_request, reply, done) => {
      reply.headers(DOCUMENT_SECURITY_HEADERS);
      done();
    });
    await registerDocuments(documents as unknown as StewardApp, options);
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealthRoutes(app as unknown as StewardApp, options.probeDatabase, options.readiness);
  // Authentication and permission checks for every route registered from here on (all of /v1).
  await app.register(options.authenticate);
  if (options.metrics?.routeConfig) {
    const { metrics, routeConfig } = options.metrics;
    app.get('/metrics', { config: routeConfig, schema: { hide: true } }, async (_request, reply) =>
      reply.type(metrics.contentType).send(await metrics.scrape()),
    );
  }
  await app.register(
    async (v1) => {
      for (const register of options.routes) await register(v1 as unknown as StewardApp);
    },
    { prefix: '/v1' },
  );
  return app as unknown as StewardApp;
}

/** Swagger UI at /docs and the public pages and documents (the browser apps, /.well-known). */
async function registerDocuments(app: StewardApp, options: AppOptions): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Swagger UI's own policy (hashes of its inline scripts), minus upgrade-insecure-requests,
    // which would break the docs on a plain-HTTP localhost.
    staticCSP: true,
    // The Authorize button keeps the API key across reloads of /docs (in this browser's storage only).
    uiConfig: { persistAuthorization: true },
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  for (const register of options.publicRoutes) await register(app);
}

/** A request that carries no body at all (no length, no chunked transfer). */
function hasNoContent(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  return (
    (headers['content-length'] === undefined || headers['content-length'] === '0') &&
    !headers['transfer-encoding']
  );
}
