import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'steward-signature';

/**
 * Signs a webhook body. The timestamp is part of the signed text, so a receiver that rejects old
 * timestamps is safe from replays of captured requests.
 */
export function signWebhookBody(secret: string, body: string, timestampSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

export type SignatureCheck = { valid: true; timestampSeconds: number } | { valid: false; reason: string };

/**
 * What a receiver runs on each delivery: recomputes the signature over the raw body, compares it in
 * constant time, and refuses timestamps further than `toleranceSeconds` from its clock.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): SignatureCheck {
  if (!header) return { valid: false, reason: `missing ${SIGNATURE_HEADER} header` };
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestampSeconds = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(timestampSeconds) || !given)
    return { valid: false, reason: 'malformed signature header' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestampSeconds) > (options.toleranceSeconds ?? 300))
    return { valid: false, reason: 'timestamp outside tolerance' };
  const expected = signWebhookBody(secret, body, timestampSeconds).split('v1=')[1]!;
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { valid: false, reason: 'signature mismatch' };
  return { valid: true, timestampSeconds };
}
