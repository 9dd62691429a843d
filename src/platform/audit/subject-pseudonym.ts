import { createHmac } from 'node:crypto';

/**
 * The keyed pseudonym a data subject has in a tenant's audit log (GDPR Art. 4(5)): the same
 * reference always maps to the same value, so an auditor can follow one person's history, but the
 * value reveals nothing without the key, which lives outside the database.
 */
export function pseudonymiseSubject(key: Uint8Array, tenantId: string, subjectRef: string): string {
  return createHmac('sha256', key).update(tenantId).update('\n').update(subjectRef).digest('base64url');
}
