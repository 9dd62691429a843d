/**
 * Steward must never write personal data to its own logs (GDPR Art. 5(1)(c) and (f)). Everything
 * logged passes through here: values under sensitive keys are replaced whole, and strings anywhere
 * are scrubbed of anything shaped like an email, phone number, IP address, card number, IBAN or token.
 */
export const REDACTED = '[redacted]';

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
  // split() with a capturing group puts the UUIDs at the odd indexes; only the text between is scrubbed.
  return text
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

export function redactPersonalData(value: unknown, depth = 0): unknown {
  if (depth > 8) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((item) => redactPersonalData(item, depth + 1));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactString(value.message),
      stack: value.stack ? redactString(value.stack) : undefined,
      code: (value as { code?: unknown }).code,
    };
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] =
        !SAFE_KEYS.has(key) && SENSITIVE_KEY.test(key) ? REDACTED : redactPersonalData(item, depth + 1);
    }
    return result;
  }
  return value;
}
