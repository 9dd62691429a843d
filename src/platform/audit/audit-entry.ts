import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import type { AuditEventInput } from './audit-event.ts';

/** Version of the entry layout below; a verifier refuses versions it does not know. */
export const AUDIT_ENTRY_VERSION = 1;

/**
 * What a leaf of the log contains, before RFC 8785 canonicalisation. No personal data: the subject
 * is a keyed pseudonym, and `private` commits to the side record (source address, subject
 * reference) without revealing it, so the side record can be destroyed while proofs still hold.
 */
export interface AuditEntry {
  v: typeof AUDIT_ENTRY_VERSION;
  tenant: string;
  /** UTC, ISO 8601 with milliseconds. */
  time: string;
  actor: { kind: AuditEventInput['actor']['kind']; id: string };
  action: string;
  object: { type: string; id: string };
  outcome: AuditEventInput['outcome'];
  reason?: string;
  requestId?: string;
  details?: Record<string, unknown>;
  /** base64url HMAC-SHA-256 of the subject reference under the tenant's pseudonym key. */
  subject?: string;
  /** base64url SHA-256 of the canonical side record including its random salt. */
  private?: string;
}

/** The entry without the subject pseudonym, which only the integrator can add (it holds the key). */
export type PendingAuditEntry = Omit<AuditEntry, 'subject'>;

/** The non-personal part of an event as it will appear in its leaf, with the side record's commitment if it has one. */
export function pendingEntryOf(
  event: AuditEventInput,
  recordedAt: Date,
  sideRecordCommitment?: string,
): PendingAuditEntry {
  return {
    v: AUDIT_ENTRY_VERSION,
    tenant: event.tenantId,
    time: recordedAt.toISOString(),
    actor: { kind: event.actor.kind, id: event.actor.id },
    action: event.action,
    object: { type: event.object.type, id: event.object.id },
    outcome: event.outcome,
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
    ...(event.requestId !== undefined ? { requestId: event.requestId } : {}),
    ...(event.details !== undefined ? { details: event.details } : {}),
    ...(sideRecordCommitment !== undefined ? { private: sideRecordCommitment } : {}),
  };
}

/**
 * Adds the subject pseudonym to a pending entry's canonical text without re-serialising it.
 * RFC 8785 orders members by key, and "subject" sorts after every key a pending entry can have
 * except its last three, "tenant", "time" and "v", which are always present. So the pseudonym goes
 * just before the last `,"tenant":` (nothing nested can follow the top-level tenant), and the
 * result is exactly the canonical form of the entry with `subject` set.
 */
export function withSubjectPseudonym(pendingCanonical: string, pseudonym: string): string {
  const tenantMember = pendingCanonical.lastIndexOf(',"tenant":');
  if (tenantMember < 0)
    throw new InvalidInput(
      'audit.pending_malformed',
      'A pending audit entry has no tenant member; it was not written by recordAuditEvent.',
    );
  return `${pendingCanonical.slice(0, tenantMember + 1)}"subject":${JSON.stringify(pseudonym)},${pendingCanonical.slice(tenantMember + 1)}`;
}
