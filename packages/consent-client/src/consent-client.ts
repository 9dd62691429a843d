import { ConsentClientError, type ConsentDecision } from './consent-decision.ts';

export { ConsentClientError, type ConsentDecision };

export interface ConsentClientOptions {
  /** Steward's base URL, e.g. http://steward.internal:8080. */
  baseUrl: string;
  /** An API key with consent:check. */
  apiKey: string;
  /** How long an answer is reused locally. Withdrawals reach this service at most this late. Default 5 s. */
  ttlMs?: number;
  /** A call slower than this answers "not allowed". Default 1 s. */
  timeoutMs?: number;
  /** Answers kept locally (oldest dropped first). Default 10 000. */
  maxEntries?: number;
}

export interface ConsentQuery {
  subject: string;
  purpose: string;
  jurisdiction?: string;
}

/** The client services embed: `await consent.check({ subject, purpose })` before processing. */
export interface ConsentClient {
  /** Never throws: on any failure the answer is `{ allowed: false, reason: 'error' }` (fail closed). */
  check(query: ConsentQuery): Promise<ConsentDecision>;
  /** One round trip for many queries; each fails closed on its own. */
  checkMany(queries: ConsentQuery[]): Promise<ConsentDecision[]>;
  /** Drops local answers (of one subject, or all), e.g. when the service hears consent.withdrawn. */
  invalidate(subject?: string): void;
}

/**
 * A tiny fetch-based client with a local TTL cache. Only successful answers are cached; errors are
 * answered "not allowed" and retried on the next call. Identical concurrent checks share one call.
 */
export function createConsentClient(options: ConsentClientOptions): ConsentClient {
  const ttlMs = options.ttlMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' };
  const cache = new Map<string, { decision: ConsentDecision; until: number }>();
  const inFlight = new Map<string, Promise<ConsentDecision>>();

  const keyOf = (q: ConsentQuery) => `${q.subject}\u0000${q.purpose}\u0000${q.jurisdiction ?? ''}`;

  function cached(key: string): ConsentDecision | undefined {
    const entry = cache.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.decision;
    cache.delete(key);
    return undefined;
  }

  function remember(key: string, decision: ConsentDecision): void {
    if (decision.reason === 'error') return;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(key, { decision, until: Date.now() + ttlMs });
  }

  async function call<T>(path: string, init: RequestInit, read: (body: unknown) => T): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { ...headers, ...init.headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status !== 200)
      throw new ConsentClientError('consent_client.http_status', `Steward answered HTTP ${response.status}`, {
        status: response.status,
      });
    return read(body);
  }

  async function fetchOne(query: ConsentQuery): Promise<ConsentDecision> {
    const params = new URLSearchParams({
      subject: query.subject,
      purpose: query.purpose,
      ...(query.jurisdiction ? { jurisdiction: query.jurisdiction } : {}),
    });
    try {
      return await call(`/v1/consent/check?${params}`, { method: 'GET' }, (body) =>
        asDecision(body, query.purpose),
      );
    } catch (error) {
      return failClosed(query.purpose, error);
    }
  }

  return {
    check(query) {
      const key = keyOf(query);
      const hit = cached(key);
      if (hit) return Promise.resolve(hit);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = fetchOne(query).then((decision) => {
          inFlight.delete(key);
          remember(key, decision);
          return decision;
        });
        inFlight.set(key, pending);
      }
      return pending;
    },
    async checkMany(queries) {
      const answers = queries.map((q) => cached(keyOf(q)));
      const missing = queries.filter((_, index) => !answers[index]);
      if (missing.length === 0) return answers as ConsentDecision[];
      let fetched: ConsentDecision[];
      try {
        fetched = await call(
          '/v1/consent/check',
          {
            method: 'POST',
            body: JSON.stringify({ checks: missing }),
            headers: { 'content-type': 'application/json' },
          },
          (body) => {
            const results = (body as { results?: unknown[] } | undefined)?.results;
            if (!Array.isArray(results) || results.length !== missing.length)
              throw new ConsentClientError('consent_client.malformed_answer', 'malformed batch answer');
            return results.map((result, index) => asDecision(result, missing[index]!.purpose));
          },
        );
      } catch (error) {
        fetched = missing.map((q) => failClosed(q.purpose, error));
      }
      let next = 0;
      return queries.map((query, index) => {
        if (answers[index]) return answers[index]!;
        const decision = fetched[next++]!;
        remember(keyOf(query), decision);
        return decision;
      });
    },
    invalidate(subject) {
      if (subject === undefined) return cache.clear();
      for (const key of cache.keys()) if (key.startsWith(`${subject}\u0000`)) cache.delete(key);
    },
  };
}

function asDecision(body: unknown, purpose: string): ConsentDecision {
  const value = body as Partial<ConsentDecision> | undefined;
  if (!value || typeof value.allowed !== 'boolean' || typeof value.reason !== 'string')
    throw new ConsentClientError('consent_client.malformed_answer', 'malformed answer');
  return { ...(value as ConsentDecision), purpose };
}

function failClosed(purpose: string, error: unknown): ConsentDecision {
  const message =
    error instanceof Error
      ? error.name === 'TimeoutError'
        ? 'Steward did not answer in time'
        : error.message
      : String(error);
  return {
    allowed: false,
    purpose,
    legalBasis: null,
    reason: 'error',
    explanation: `Consent could not be determined (${message}); not allowed until it can.`,
  };
}
