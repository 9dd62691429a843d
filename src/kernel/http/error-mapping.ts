import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type DomainErrorKind, isDomainError } from '../errors/domain-error.ts';

/** The one error body of the API: `{"error":{"code","message","details"}}`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> | undefined };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
}

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
};

/** Fastify's own error codes that are the client's fault, with a message saying what to fix. */
const FASTIFY_CLIENT_ERRORS: Record<
  string,
  { status: number; code: string; message: (e: FastifyError) => string }
> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'request.invalid_json',
    message: (e) => `The body is not valid JSON: ${e.message}. Send a JSON document.`,
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'request.empty_json',
    message: () =>
      'The body is empty but Content-Type is application/json. Send a JSON document or drop the header.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'request.too_large',
    message: (e) => `${e.message}. Send a smaller body.`,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'request.unsupported_media_type',
    message: (e) => `${e.message}. Send application/json.`,
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'request.invalid_content_length',
    message: (e) => e.message,
  },
};

/** Maps anything thrown in a request to a status and the error body, never exposing a stack trace. */
export function mapErrorToHttp(error: unknown, requestId: string): MappedError {
  if (isDomainError(error)) {
    return {
      status: STATUS_BY_KIND[error.kind],
      body: { error: { code: error.code, message: error.message, details: error.details } },
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`,
      message: issue.message ?? 'is not valid',
    }));
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return {
      status: 400,
      body: {
        error: {
          code: 'request.invalid',
          message: `The request is not valid: ${summary}`,
          details: { issues },
        },
      },
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? FASTIFY_CLIENT_ERRORS[fastifyError.code] : undefined;
  if (known) {
    return {
      status: known.status,
      body: { error: { code: known.code, message: known.message(error as FastifyError) } },
    };
  }
  if (fastifyError.statusCode === 429) {
    return {
      status: 429,
      body: {
        error: {
          code: 'request.rate_limited',
          message: fastifyError.message ?? 'Too many requests. Slow down and retry later.',
        },
      },
    };
  }
  if (
    fastifyError.statusCode &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500 &&
    !isResponseSerializationError(error)
  ) {
    return {
      status: fastifyError.statusCode,
      body: {
        error: { code: 'request.rejected', message: fastifyError.message ?? 'The request was rejected.' },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'internal',
        message: `Steward hit an internal error. Quote request id ${requestId} when you report it.`,
      },
    },
  };
}
