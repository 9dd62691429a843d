import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { mapErrorToHttp } from './error-mapping.ts';
import { registerHealthRoutes, type Readiness } from './health-routes.ts';
import { routeModules } from './route-registry.ts';
import authPlugin from '../auth/auth-plugin.ts';
import type { AppServices, StewardApp } from './steward-app.ts';
import { STEWARD_VERSION } from '../version.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Builds the HTTP API: plugins in the order they apply, then /healthz and /readyz, then every
 * domain's routes under /v1. Listening is the caller's job, so tests can use `inject`.
 */
export async function createApp(services: AppServices, readiness: Readiness): Promise<StewardApp> {
  const { server } = services.config;
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: server.bodyLimitBytes,
    trustProxy: server.trustProxy,
    return503OnClosing: true,
    requestIdHeader: false,
    // A caller's X-Request-Id is kept when it looks like an id, so traces join up across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    disableRequestLogging: true,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Request logging without the URL's query string or the client address: both can be personal data.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const mapped = mapErrorToHttp(error, request.id);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(mapped.status).send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'route.not_found', message: `No route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.` },
    }),
  );

  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(rateLimit, {
    max: server.rateLimit.max,
    timeWindow: server.rateLimit.timeWindowMs,
    allowList: (request) => request.url === '/healthz' || request.url === '/readyz',
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: { code: 'request.rate_limited', message: `Rate limit of ${context.max} requests per ${context.after} exceeded. Retry later.` },
    }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Steward API', version: STEWARD_VERSION, description: 'Privacy-operations control plane: data map, data subject requests, consent, retention, audit.' },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealthRoutes(app as unknown as StewardApp, services, readiness);
  // Authentication and permission checks for every route registered from here on (all of /v1).
  await app.register(authPlugin, { services });
  await app.register(
    async (v1) => {
      for (const register of routeModules) await register(v1 as unknown as StewardApp, services);
    },
    { prefix: '/v1' },
  );
  return app as unknown as StewardApp;
}
