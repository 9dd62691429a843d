import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The CSRF token of a session: an HMAC of the session token, sent in a readable cookie and echoed
 * in the X-CSRF-Token header (double submit). Binding it to the session means a cookie planted by a
 * sibling subdomain is useless without the session it belongs to.
 */
export function csrfTokenFor(sessionToken: string, key: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionToken}`).digest('base64url');
}

export function isValidCsrfToken(given: string | undefined, sessionToken: string, key: string): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken, key));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
