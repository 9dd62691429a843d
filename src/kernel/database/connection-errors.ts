import { isDomainError, Unavailable } from '../errors/domain-error.ts';

/** How long a caller should wait before retrying while the database reconnects (Retry-After). */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * SQLSTATEs that mean the server went away or is not accepting work yet, not that the statement was
 * wrong: class 08 (connection exception), 57P01 admin_shutdown (`pg_ctl -m fast`), 57P02
 * crash_shutdown (another backend crashed, or `-m immediate`), 57P03 cannot_connect_now (starting up
 * or recovering), 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Socket errors of a connection that could not be made or was cut. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** What node-postgres and pg-pool say when a connection ends under a query or cannot be had in time. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable/,
  /^Query read timeout$/,
];

/**
 * The one place a lost or refused database connection becomes a DomainError: `Unavailable`
 * (HTTP 503 with Retry-After, CLI exit 69), so a request that meets a restarting database says
 * "retry shortly" instead of "internal error". Returns undefined for any other error.
 */
export function databaseUnavailable(error: unknown): Unavailable | undefined {
  if (isDomainError(error)) return undefined;
  const reason = unavailableReason(error);
  if (!reason) return undefined;
  return new Unavailable(
    'db.unavailable',
    `A database Steward needs is not reachable right now (${reason}). Steward reconnects by itself; retry in a few seconds.`,
    { reason, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    { cause: error },
  );
}

/** A short, non-personal reason (a SQLSTATE, an errno or a driver message), or undefined. */
function unavailableReason(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 3) return undefined;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return `SQLSTATE ${code}`;
    if (UNAVAILABLE_ERRNOS.has(code)) return code;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
    return message;
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (Array.isArray(errors))
    for (const each of errors) {
      const reason = unavailableReason(each, depth + 1);
      if (reason) return reason;
    }
  return unavailableReason(cause, depth + 1);
}
