/**
 * What a domain tells the audit log about an action, written in the same transaction as the change
 * (`recordAuditEvent(trx, event)` in src/audit/record-audit-event.ts). No personal data here: a data
 * subject appears only as `subjectRef`, which the audit domain turns into a keyed pseudonym.
 */
export interface AuditEventInput {
  tenantId: string;
  actor: { kind: 'user' | 'api_key' | 'system' | 'anonymous'; id: string };
  /** Dotted verb, e.g. `dsr.request.created`, `consent.withdrawn`, `retention.run.completed`. */
  action: string;
  object: { type: string; id: string };
  outcome: 'success' | 'failure' | 'denied';
  reason?: string;
  requestId?: string;
  /** Source address; stored only in the destroyable side record. */
  sourceAddress?: string;
  /** An identity of the data subject concerned (email, user id…); pseudonymised before hashing. */
  subjectRef?: string;
  /** Non-personal facts worth keeping (counts, states, ids). */
  details?: Record<string, unknown>;
}
