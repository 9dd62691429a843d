import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Steward must never write personal data to its own logs (GDPR Art. 5(1)(c) and (f)). Everything
 * logged passes through here: values under sensitive keys are replaced whole, and strings anywhere
 * are scrubbed of anything shaped like an email, phone number, IP address, card number, IBAN or token.
 */
export const REDACTED = '[redacted]';

/**
 * Values known to be personal data while some work runs (a request's identity values while its
 * steps run): they are redacted by value wherever they appear, whatever their shape (a customer
 * number, a name). Carried by async context, so every log line the work writes is covered.
 */
const personalValues = new AsyncLocalStorage<readonly string[]>();

/** Runs `work` with `values` redacted by value from everything logged meanwhile (nested scopes add up). */
export function withPersonalValues<T>(values: readonly string[], work: () => T): T {
  const known = [...(personalValues.getStore() ?? []), ...values.filter((v) => v.trim().length >= 3)];
  return personalValues.run(known, work);
}

/** `text` with each of `values` (case-insensitively) replaced by the redaction marker. */
export function redactValues(text: string, values: readonly string[]): string {
  let result = text;
  for (const value of values) {
    if (value.trim().length < 3) continue;
    result = result.replace(new RegExp(value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'gi'), REDACTED);
  }
  return result;
}

const SENSITIVE_KEY =
  /(^|_|-|\b)(e?mail|name|first_?name|last_?name|full_?name|given_?name|family_?name|surname|phone|mobile|tel|address|street|city|postcode|postal_?code|zip|birth|dob|ssn|passport|iban|card|pan|cvv|ip|ip_?address|remote_?address|user_?agent|password|passwd|secret|token|api_?key|authorization|cookie|set-cookie|otp|code|subject|identity|identities|body)($|_|-|\b)/i;

const PATTERNS: Array<[RegExp, string | ((match: string) => string)]> = [
  // Bearer/Basic credentials and JWTs before anything else, since they contain dots and digits.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\bstw_[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, REDACTED],
  [/\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g, REDACTED],
  [/\b(?:\d[ -]?){13,19}\b/g, REDACTED],
  [/(?:\+|00)\d[\d ()./-]{6,18}\d/g, REDACTED],
  [/\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b/g, REDACTED],
  // Loopback and wildcard addresses are the server's own, never a person's.
  [
    /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g,
    (ip) => (ip.startsWith('127.') || ip === '0.0.0.0' ? ip : REDACTED),
  ],
  // IPv6, full or with a `::` gap (but not clock times such as 15:02:08, which have three groups).
  [
    /\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}\b/gi,
    REDACTED,
  ],
];

/** UUIDs are Steward's own ids (jobs, requests); their digit runs must not read as card numbers. */
const UUID = /(\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)/i;

/** Keys whose values are Steward's own identifiers and safe to log even though they match a pattern. */
const SAFE_KEYS = new Set([
  'reqId',
  'requestId',
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'err',
  'type',
  'stack',
  'statusCode',
  'method',
  'route',
  'responseTime',
  'jobId',
  'queue',
  'tenantId',
]);

export function redactString(text: string): string {
  const known = personalValues.getStore();
  const withoutKnown = known?.length ? redactValues(text, known) : text;
  // split() with a capturing group puts the UUIDs at the odd indexes; only the text between is scrubbed.
  return withoutKnown
    .split(UUID)
    .map((part, index) => (index % 2 === 1 ? part : scrub(part)))
    .join('');
}

function scrub(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) {
    result =
      typeof replacement === 'string'
        ? result.replace(pattern, replacement)
        : result.replace(pattern, replacement);
  }
  return result;
}

/**
 * `value` with personal data removed: sensitive keys' values whole, strings scrubbed by
 * `redactText` (default: by value and by shape, `redactString`).
 */
export function redactPersonalData(
  value: unknown,
  depth = 0,
  redactText: (text: string) => string = redactString,
): unknown {
  if (depth > 8) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactPersonalData(item, depth + 1, redactText));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactText(value.message),
      stack: value.stack ? redactText(value.stack) : undefined,
      code: (value as { code?: unknown }).code,
    };
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] =
        !SAFE_KEYS.has(key) && SENSITIVE_KEY.test(key)
          ? REDACTED
          : redactPersonalData(item, depth + 1, redactText);
    }
    return result;
  }
  return value;
}
