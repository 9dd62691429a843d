/**
 * The small set of errors that cross a domain boundary. Each carries a stable machine code;
 * `src/http/error-mapping.ts` maps them to HTTP statuses and `src/cli/exit-codes.ts` to exit codes,
 * each in one place (STYLE.md §4).
 */
export type DomainErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'unavailable'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'unsupported_media_type';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** A stable, specific code such as `config.invalid` or `dsr.not_found`; clients switch on it. */
  readonly code: string;
  /** Plain, serialisable context that tells the caller what to fix. Never personal data. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The input is wrong; the message says what to change. */
export class InvalidInput extends DomainError {
  readonly kind = 'invalid' as const;
}

export class NotFound extends DomainError {
  readonly kind = 'not_found' as const;
}

/** The request is valid but clashes with the current state (duplicate, wrong state transition). */
export class Conflict extends DomainError {
  readonly kind = 'conflict' as const;
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden' as const;
}

export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated' as const;
}

/** A dependency (database, downstream system) cannot be reached now; retrying later may succeed. */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable' as const;
}

export class TooManyRequests extends DomainError {
  readonly kind = 'too_many_requests' as const;
}

export class PayloadTooLarge extends DomainError {
  readonly kind = 'payload_too_large' as const;
}

/** The body is in a format this operation does not read; the message names the ones it does. */
export class UnsupportedMediaType extends DomainError {
  readonly kind = 'unsupported_media_type' as const;
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
