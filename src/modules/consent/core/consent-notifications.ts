import { createHash } from 'node:crypto';

/**
 * The PostgreSQL channel consent writers notify on commit, so every replica drops its cached state.
 * Payloads carry a hash of the subject, never the identifier itself.
 */
export const CONSENT_CHANNEL = 'steward_consent';

/** `s:<tenant>:<hash>`: one subject's state changed. */
export function subjectChangedPayload(tenantId: string, subject: string): string {
  return `s:${tenantId}:${subjectCacheKey(subject)}`;
}

/** `n:<tenant>`: the tenant's notices changed. */
export function noticesChangedPayload(tenantId: string): string {
  return `n:${tenantId}`;
}

/** The cache's key of a subject: a short hash, so notifications carry no personal data. */
export function subjectCacheKey(subject: string): string {
  return createHash('sha256').update(subject).digest('base64url').slice(0, 22);
}
