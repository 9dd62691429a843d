import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhooks are signed per Standard Webhooks (https://www.standardwebhooks.com), so receivers can use
 * a stock verifier (`standardwebhooks` on npm, and its ports to Python, Go, Ruby, Java, PHP, …):
 * - `webhook-id`: the event id, the same on every retry (receivers deduplicate on it);
 * - `webhook-timestamp`: Unix seconds of this attempt (receivers refuse old ones: replay protection);
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the
 *   bytes of the signing secret after its `whsec_` prefix (base64).
 */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/**
 * Deprecated: Steward's own `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the
 * secret's text. Still sent, next to the standard headers, for one release so receivers written for
 * it keep working while they move to a Standard Webhooks verifier; removed in the release after.
 */
export const LEGACY_SIGNATURE_HEADER = 'steward-signature';
/** Deprecated with it: the same value as `webhook-id`. */
export const LEGACY_EVENT_ID_HEADER = 'steward-event-id';

const SECRET_PREFIX = 'whsec_';
/** How far a timestamp may be from the receiver's clock (the Standard Webhooks libraries' default). */
const TOLERANCE_SECONDS = 300;

/** The headers that sign one delivery attempt of an event. */
export function webhookSignatureHeaders(
  secret: string,
  eventId: string,
  body: string,
  timestampSeconds: number,
): Record<string, string> {
  return {
    [WEBHOOK_ID_HEADER]: eventId,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds),
    [WEBHOOK_SIGNATURE_HEADER]: `v1,${standardSignature(secret, eventId, timestampSeconds, body)}`,
    [LEGACY_EVENT_ID_HEADER]: eventId,
    [LEGACY_SIGNATURE_HEADER]: legacySignature(secret, body, timestampSeconds),
  };
}

export type SignatureCheck = { valid: true; timestampSeconds: number } | { valid: false; reason: string };

/**
 * What a receiver runs on each delivery (Steward's own receiver, `steward events listen`, does):
 * recomputes the signature over the raw body, compares it in constant time with each `v1,`
 * signature of the header, and refuses timestamps further than `toleranceSeconds` from its clock.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  headers: Record<string, string | string[] | undefined>,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): SignatureCheck {
  const id = headers[WEBHOOK_ID_HEADER];
  const timestamp = headers[WEBHOOK_TIMESTAMP_HEADER];
  const signatures = headers[WEBHOOK_SIGNATURE_HEADER];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
    return { valid: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  const timestampSeconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp)) return { valid: false, reason: 'malformed webhook-timestamp header' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestampSeconds) > (options.toleranceSeconds ?? TOLERANCE_SECONDS))
    return { valid: false, reason: 'timestamp outside tolerance' };
  const expected = Buffer.from(standardSignature(secret, id, timestampSeconds, body), 'base64');
  // Several space-separated signatures may be sent (e.g. during a key rotation): any may match.
  const matches = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { valid: true, timestampSeconds } : { valid: false, reason: 'signature mismatch' };
}

function standardSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
}

/**
 * The key bytes of a secret: base64 after `whsec_`. Node's base64 decoder also reads the URL-safe
 * alphabet that secrets issued before Standard Webhooks used, so those keep signing; a stock
 * verifier wants the standard alphabet, which rotated and new secrets have.
 */
function secretKey(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
}

function legacySignature(secret: string, body: string, timestampSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}
