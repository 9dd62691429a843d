import type { FastifyError, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDomainError } from '../errors/domain-error.ts';
import {
  PROBLEM_TYPE_BASE,
  PROBLEM_TYPES,
  problemDetails,
  requestInstance,
  STATUS_BY_KIND,
  type ProblemDetails,
  type ProblemType,
} from '../errors/problem-details.ts';
import { databaseUnavailable } from '../database/connection-errors.ts';

/** The media type of every error answer (RFC 9457 §3). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export { PROBLEM_TYPE_BASE, PROBLEM_TYPES, type ProblemDetails, type ProblemType };

export interface MappedError {
  status: number;
  /** Always with `instance`: an API error names the request it answers. */
  body: ProblemDetails & { instance: string };
  /** WWW-Authenticate on 401 (RFC 9110 §11.6.1), Retry-After on 429 and 503 (§10.2.3). */
  headers: Record<string, string>;
}

/** Retry-After when the error gives no time of its own: long enough not to hammer a recovering service. */
const DEFAULT_RETRY_AFTER_SECONDS = { 429: 60, 503: 5 } as const;

/** Fastify's own error codes that are the client's fault, with a message saying what to fix. */
const FASTIFY_CLIENT_ERRORS: Record<
  string,
  { status: number; type: ProblemType; code: string; message: (e: FastifyError) => string }
> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    type: 'invalid',
    code: 'request.invalid_json',
    message: (e) => `The body is not valid JSON: ${e.message}. Send a JSON document.`,
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    type: 'invalid',
    code: 'request.empty_json',
    message: () =>
      'The body is empty but Content-Type is application/json. Send a JSON document or drop the header.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    type: 'payload_too_large',
    code: 'request.too_large',
    message: (e) => `${e.message}. Send a smaller body.`,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    type: 'unsupported_media_type',
    code: 'request.unsupported_media_type',
    message: (e) => `${e.message}. Send application/json.`,
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    type: 'invalid',
    code: 'request.invalid_content_length',
    message: (e) => e.message,
  },
};

/** Maps anything thrown in a request to a status, problem details and headers, never exposing a stack trace. */
export function mapErrorToHttp(error: unknown, requestId: string): MappedError {
  // A lost or refused database connection: 503 with Retry-After, not an internal error.
  error = databaseUnavailable(error) ?? error;
  if (isDomainError(error)) {
    return problem(
      error.kind,
      STATUS_BY_KIND[error.kind],
      error.code,
      error.message,
      requestId,
      error.details,
    );
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`.replace(
        /\.$/,
        '',
      ),
      message: issue.message ?? 'is not valid',
    }));
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return problem('invalid', 400, 'request.invalid', `The request is not valid: ${summary}`, requestId, {
      issues,
    });
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? FASTIFY_CLIENT_ERRORS[fastifyError.code] : undefined;
  if (known) {
    return problem(known.type, known.status, known.code, known.message(error as FastifyError), requestId);
  }
  if (fastifyError.statusCode === 429) {
    return problem(
      'too_many_requests',
      429,
      'request.rate_limited',
      fastifyError.message ?? 'Too many requests. Slow down and retry later.',
      requestId,
    );
  }
  if (
    fastifyError.statusCode &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500 &&
    !isResponseSerializationError(error)
  ) {
    return problem(
      'invalid',
      fastifyError.statusCode,
      'request.rejected',
      fastifyError.message ?? 'The request was rejected.',
      requestId,
    );
  }
  return problem(
    'internal',
    500,
    'internal',
    `Steward hit an internal error. Quote request id ${requestId} when you report it.`,
    requestId,
  );
}

/** Sends a mapped error: its status, headers and problem document as application/problem+json. */
export function sendProblem(reply: FastifyReply, mapped: MappedError): FastifyReply {
  return reply
    .status(mapped.status)
    .headers(mapped.headers)
    .type(`${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
    .send(mapped.body);
}

function problem(
  type: ProblemType,
  status: number,
  code: string,
  detail: string,
  requestId: string,
  details?: Record<string, unknown>,
): MappedError {
  const instance = requestInstance(requestId);
  return {
    status,
    body: { ...problemDetails(type, status, code, detail, { instance, details }), instance },
    headers: headersFor(status, code, details),
  };
}

function headersFor(
  status: number,
  code: string,
  details: Record<string, unknown> | undefined,
): Record<string, string> {
  if (status === 401) {
    // A route's own proof of who someone is (the privacy center's e-mailed code) names its scheme.
    if (typeof details?.challenge === 'string') return { 'www-authenticate': details.challenge };
    // RFC 6750 §3: a rejected credential is invalid_token; a missing one gets the bare challenge.
    return {
      'www-authenticate':
        code === 'auth.required' ? 'Bearer realm="steward"' : 'Bearer realm="steward", error="invalid_token"',
    };
  }
  if (status === 429 || status === 503) {
    const given = details?.retryAfterSeconds;
    const seconds =
      typeof given === 'number' && Number.isFinite(given) && given > 0
        ? Math.ceil(given)
        : DEFAULT_RETRY_AFTER_SECONDS[status];
    return { 'retry-after': String(seconds) };
  }
  return {};
}
