import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, PROBLEM_TYPES } from './error-mapping.ts';

/** What the app adds to the generated OpenAPI document; the kernel knows no module and no auth scheme. */
export interface OpenApiOptions {
  servers: {
    url: string;
    description: string;
    variables?: Record<string, { default: string; description: string }>;
  }[];
  /** A description for every tag routes use (a test checks none is missing). */
  tags: readonly { name: string; description: string }[];
  securitySchemes: SecuritySchemes;
  /** The security requirement of a route from its config: `[]` for public routes. */
  securityOf(config: RouteAccessConfig): Record<string, string[]>[];
  /** A sentence on who may call the route, appended to its description. */
  accessNoteOf(config: RouteAccessConfig): string | undefined;
}

/** OpenAPI security scheme objects by name, as @fastify/swagger types them. */
export type SecuritySchemes = NonNullable<
  NonNullable<NonNullable<FastifyDynamicSwaggerOptions['openapi']>['components']>['securitySchemes']
>;

/** The part of a route's config the auth contract reads (`config.permission` or `config.public`). */
export interface RouteAccessConfig {
  permission?: string;
  public?: boolean;
}

type Schema = Record<string, unknown>;
type Operation = Record<string, unknown> & { responses?: Record<string, unknown>; tags?: string[] };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The error answers an operation may give, each documented as RFC 9457 problem details. Derived from
 * what the route declares, so no route repeats them: every route can fail validation (400), be
 * rate limited (429), meet an unreachable database (503) or fail (500); authenticated routes add
 * 401 and 403, routes with a path parameter 404, changes 409, routes with a body 413 and 415.
 */
function errorStatusesOf(method: string, path: string, operation: Operation, authenticated: boolean) {
  const statuses = ['400'];
  if (authenticated) statuses.push('401', '403');
  if (path.includes('{')) statuses.push('404');
  if (method !== 'get') statuses.push('409');
  if (operation.requestBody) statuses.push('413', '415');
  statuses.push('429', '500', '503');
  return statuses;
}

const ERROR_RESPONSES: Record<
  string,
  { name: string; description: string; headers?: Record<string, unknown> }
> = {
  '400': { name: 'BadRequest', description: 'The request is not valid; `detail` says what to fix.' },
  '401': {
    name: 'Unauthenticated',
    description: 'No credentials, or an API key or session that is unknown, revoked or expired.',
    headers: {
      'WWW-Authenticate': {
        description: 'The challenge: `Bearer realm="steward"` (RFC 6750).',
        schema: { type: 'string' },
      },
    },
  },
  '403': { name: 'Forbidden', description: "The caller's role lacks the permission this operation needs." },
  '404': { name: 'NotFound', description: 'No such record in your tenant.' },
  '409': {
    name: 'Conflict',
    description: 'The change clashes with the current state (a duplicate, a final state).',
  },
  '413': { name: 'PayloadTooLarge', description: 'The body is larger than `server.bodyLimitBytes`.' },
  '415': {
    name: 'UnsupportedMediaType',
    description: 'The body is not in a media type this operation reads.',
  },
  '429': {
    name: 'TooManyRequests',
    description: 'A rate limit was reached.',
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  },
  '500': {
    name: 'InternalError',
    description: 'A fault in Steward; `detail` quotes the request id to report.',
  },
  '503': {
    name: 'Unavailable',
    description: 'The database or a source system cannot be reached now.',
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  },
};

/** The problem details schema, as components.schemas.ProblemDetails. */
const PROBLEM_DETAILS_SCHEMA = {
  type: 'object',
  description:
    'RFC 9457 problem details; `code` and `details` are Steward extension members (docs/problems.md).',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: {
      type: 'string',
      format: 'uri',
      description: 'The problem type.',
      enum: Object.values(PROBLEM_TYPES).map((type) => `${PROBLEM_TYPE_BASE}${type.slug}`),
    },
    title: { type: 'string', description: 'The fixed summary of the problem type.' },
    status: { type: 'integer', description: 'The HTTP status code.' },
    detail: { type: 'string', description: 'What went wrong and what to change.' },
    instance: {
      type: 'string',
      description: 'This occurrence: `urn:steward:request:<X-Request-Id>`.',
      examples: ['urn:steward:request:0b7e4c1e-4a36-4f8e-a0c2-8f7d3f6f2f51'],
    },
    code: {
      type: 'string',
      description: "Steward's stable machine code; switch on it.",
      examples: ['auth.permission_missing'],
    },
    details: {
      type: 'object',
      additionalProperties: true,
      description: 'Facts that help to fix the request (never personal data), e.g. `issues` of a body.',
    },
  },
};

/**
 * The swagger `transform`: zod schemas to JSON Schema (fastify-type-provider-zod), then what every
 * operation gets from what its route declares — an operationId (the route's own `schema.operationId`,
 * else derived from method and path), its security requirement and a note on who may call it.
 */
export function openApiRouteTransform(options: OpenApiOptions): typeof jsonSchemaTransform {
  return (input) => {
    const transformed = jsonSchemaTransform(input);
    // A route without a schema is documented too (its id, security and error answers).
    const schema = (transformed.schema ?? {}) as Schema;
    transformed.schema = schema;
    if (schema.hide) return transformed;
    const route = input.route as RouteOptions;
    const config = (route.config ?? {}) as RouteAccessConfig;
    const method = String(Array.isArray(route.method) ? route.method[0] : route.method).toLowerCase();
    schema.operationId ??= operationIdOf(method, transformed.url);
    schema.security = options.securityOf(config);
    const note = options.accessNoteOf(config);
    if (note) schema.description = [schema.description, note].filter(Boolean).join('\n\n');
    if (config.permission) schema['x-steward-permission'] = config.permission;
    return transformed;
  };
}

/**
 * The swagger `transformObject`: the zod registry's components, then servers, tag descriptions,
 * security schemes and the problem-details responses of every operation.
 */
export function openApiDocumentTransform(options: OpenApiOptions): typeof jsonSchemaTransformObject {
  return (input) => {
    const document = jsonSchemaTransformObject(input) as Record<string, unknown> & {
      paths?: Record<string, Record<string, Operation>>;
      components?: Record<string, Record<string, unknown>>;
    };
    const used = new Set<string>();
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        for (const tag of operation.tags ?? []) used.add(tag);
        const authenticated = Array.isArray(operation.security) && operation.security.length > 0;
        operation.responses ??= {};
        for (const status of errorStatusesOf(method, path, operation, authenticated)) {
          operation.responses[status] ??= { $ref: `#/components/responses/${ERROR_RESPONSES[status]!.name}` };
        }
      }
    }
    const responses = Object.fromEntries(
      Object.values(ERROR_RESPONSES).map(({ name, description, headers }) => [
        name,
        {
          description,
          ...(headers ? { headers } : {}),
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
        },
      ]),
    );
    return {
      ...document,
      servers: options.servers,
      tags: options.tags.filter((tag) => used.has(tag.name)),
      components: {
        ...document.components,
        schemas: { ...document.components?.schemas, ProblemDetails: PROBLEM_DETAILS_SCHEMA },
        responses: { ...document.components?.responses, ...responses },
        securitySchemes: options.securitySchemes,
      },
    };
  };
}

/** Verbs that end a path as an action on what precedes it (`POST /requests/{id}/approve` → approveRequest). */
const ACTIONS = new Set([
  'approve',
  'assessment',
  'callback',
  'cancel',
  'check',
  'close',
  'count',
  'deny',
  'diff',
  'download',
  'dry-run',
  'export',
  'extend',
  'import',
  'login',
  'logout',
  'plan',
  'replay',
  'validate',
  'verify',
]);

/**
 * A stable, readable operationId from method and path, for routes that do not name their own:
 * `GET /v1/requests` → listRequests, `GET /v1/requests/{id}` → getRequest, `POST /v1/requests` →
 * createRequest, `POST /v1/requests/{id}/approve` → approveRequest, `DELETE /v1/apikeys/{apiKeyId}`
 * → deleteApikey. Changing a route's path changes its id, which the committed document shows.
 */
export function operationIdOf(method: string, url: string): string {
  const segments = url
    .split('/')
    .filter((segment) => segment && segment !== 'v1' && !segment.startsWith('.'));
  const nouns: string[] = [];
  let endsWithParameter = false;
  for (const [index, segment] of segments.entries()) {
    const parameter = /^[:{]/.test(segment);
    endsWithParameter = parameter && index === segments.length - 1;
    if (parameter) {
      // The collection before a parameter names one item of it: requests/{id} → Request.
      if (nouns.length) nouns[nouns.length - 1] = singular(nouns[nouns.length - 1]!);
    } else nouns.push(segment);
  }
  const last = segments.at(-1) ?? '';
  if (!endsWithParameter && ACTIONS.has(last) && nouns.length > 1) {
    nouns.pop();
    const verb = camel(last);
    return verb + pascal(nouns);
  }
  const verb =
    method === 'get'
      ? !endsWithParameter && /s$/.test(nouns.at(-1) ?? '')
        ? 'list'
        : 'get'
      : method === 'post'
        ? 'create'
        : method === 'put'
          ? 'replace'
          : method === 'patch'
            ? 'update'
            : 'delete';
  if (verb === 'create' && nouns.length) nouns[nouns.length - 1] = singular(nouns[nouns.length - 1]!);
  if (verb === 'delete' && !endsWithParameter && nouns.length)
    nouns[nouns.length - 1] = singular(nouns[nouns.length - 1]!);
  return verb + pascal(nouns);
}

function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

function camel(text: string): string {
  return text.replace(/[-_.]+([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function pascal(words: string[]): string {
  return words.map((word) => camel(word).replace(/^./, (letter) => letter.toUpperCase())).join('');
}
