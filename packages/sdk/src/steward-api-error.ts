/**
 * An error answer of the Steward API, whichever of its two shapes the server sends: RFC 9457 problem
 * details (`application/problem+json`: type, title, status, detail, instance, with Steward's `code`
 * as an extension member) or the earlier `{"error":{"code","message","details"}}`.
 */
export class StewardApiError extends Error {
  override readonly name = 'StewardApiError';
  /** HTTP status, e.g. 403. */
  readonly status: number;
  /** Steward's stable machine code, e.g. `auth.permission_missing`; switch on this. */
  readonly code: string;
  /** Problem type URI (RFC 9457), when the server sends one. */
  readonly type: string | undefined;
  /** Short summary of the problem type, when the server sends one. */
  readonly title: string | undefined;
  /** What went wrong and what to change, in a sentence meant for people. */
  readonly detail: string;
  /** Extra facts the server gives (never personal data), e.g. `{ permission: 'dsr:approve' }`. */
  readonly details: Readonly<Record<string, unknown>>;
  /** The request id (X-Request-Id), for the server's logs. */
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: string;
    detail: string;
    type?: string | undefined;
    title?: string | undefined;
    details?: Record<string, unknown>;
    requestId?: string | undefined;
  }) {
    super(init.detail);
    this.status = init.status;
    this.code = init.code;
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.details = init.details ?? {};
    this.requestId = init.requestId;
  }
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'details']);

/** The typed error for an error response whose body openapi-fetch has already read (JSON or text). */
export function apiErrorOf(response: Response, body: unknown): StewardApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string') {
    const { code, message, details } = body.error;
    return new StewardApiError({
      status: response.status,
      code,
      detail: typeof message === 'string' ? message : response.statusText,
      ...(isRecord(details) ? { details } : {}),
      requestId,
    });
  }
  if (isRecord(body) && (typeof body.detail === 'string' || typeof body.title === 'string')) {
    const extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
    const nested = isRecord(body.details) ? body.details : {};
    return new StewardApiError({
      status: typeof body.status === 'number' ? body.status : response.status,
      code: typeof body.code === 'string' ? body.code : `http.${response.status}`,
      detail: typeof body.detail === 'string' ? body.detail : String(body.title),
      type: typeof body.type === 'string' ? body.type : undefined,
      title: typeof body.title === 'string' ? body.title : undefined,
      details: { ...extensions, ...nested },
      requestId,
    });
  }
  return new StewardApiError({
    status: response.status,
    code: `http.${response.status}`,
    detail:
      typeof body === 'string' && body.trim()
        ? body.trim().slice(0, 500)
        : response.statusText || `HTTP ${response.status}`,
    requestId,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
