import type { DomainError, DomainErrorKind } from './domain-error.ts';

/** Where the problem types are documented (docs/problems.md); a type URI is this plus the type's slug. */
export const PROBLEM_TYPE_BASE = 'https://steward.dev/problems/';

/**
 * The one error body of Steward, for the API and for the CLI's --json: RFC 9457 problem details.
 * `type` and `title` name the kind of problem (constant per type, as §3.1 asks); `detail` says what
 * went wrong and what to change; `instance` names this occurrence by its request id (no path, which
 * may carry an identifier; a local CLI error has none). Extension members: `code`, Steward's stable
 * machine code that clients switch on, and `details`, plain facts about the error (never personal data).
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  details?: Record<string, unknown> | undefined;
}

/** The problem types: one per error kind, plus the HTTP-level ones. */
export const PROBLEM_TYPES = {
  invalid: { slug: 'invalid-input', title: 'The request is not valid' },
  unauthenticated: { slug: 'unauthenticated', title: 'Credentials are missing or not valid' },
  forbidden: { slug: 'forbidden', title: 'Not allowed' },
  not_found: { slug: 'not-found', title: 'Not found' },
  conflict: { slug: 'conflict', title: 'Conflicts with the current state' },
  payload_too_large: { slug: 'payload-too-large', title: 'The request is too large' },
  unsupported_media_type: { slug: 'unsupported-media-type', title: 'The media type is not supported' },
  too_many_requests: { slug: 'too-many-requests', title: 'Too many requests' },
  unavailable: { slug: 'unavailable', title: 'Temporarily unavailable' },
  internal: { slug: 'internal', title: 'Internal error' },
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

/** The HTTP status of each error kind. */
export const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
};

/** The problem document of a type; `instance` and `details` only when given. */
export function problemDetails(
  type: ProblemType,
  status: number,
  code: string,
  detail: string,
  occurrence: { instance?: string | undefined; details?: Record<string, unknown> | undefined } = {},
): ProblemDetails {
  const { slug, title } = PROBLEM_TYPES[type];
  return {
    type: `${PROBLEM_TYPE_BASE}${slug}`,
    title,
    status,
    detail,
    ...(occurrence.instance === undefined ? {} : { instance: occurrence.instance }),
    code,
    ...(occurrence.details === undefined ? {} : { details: occurrence.details }),
  };
}

/**
 * A domain error as its problem document. `status` overrides the kind's when the error is a
 * server's answer relayed (the CLI's remote mode keeps the status the server sent).
 */
export function problemOfDomainError(
  error: DomainError,
  occurrence: { instance?: string | undefined; status?: number | undefined } = {},
): ProblemDetails {
  return problemDetails(
    error.kind,
    occurrence.status ?? STATUS_BY_KIND[error.kind],
    error.code,
    error.message,
    { instance: occurrence.instance, details: error.details },
  );
}

/** An occurrence's instance URI from its request id (the X-Request-Id header). */
export const requestInstance = (requestId: string) => `urn:steward:request:${requestId}`;
