import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { AuditDatabase } from './store/audit-database.ts';
import type { AuditPendingTable } from './store/audit-tables.ts';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { pendingEntryOf } from './audit-entry.ts';
import type { AuditEventInput } from './audit-event.ts';
import { canonicalJson } from './canonical-json.ts';
import { commitToSideRecord } from './side-record-commitment.ts';
import { scrubLeafText } from './scrub-leaf-text.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+$/;

/**
 * Records an audit event in the caller's transaction: it exists exactly when the change it
 * describes commits. The event waits in `audit_pending` until the one integrator gives it the next
 * index of its tenant's Merkle log (src/audit/integrate-pending-entries.ts); that keeps writers
 * from serialising on the log while indices stay contiguous.
 */
export async function recordAuditEvent(trx: DbHandle<AuditDatabase>, event: AuditEventInput): Promise<void> {
  await trx.insertInto('audit_pending').values(pendingAuditRow(event)).execute();
}

/**
 * The `audit_pending` row `recordAuditEvent` writes for `event`: checked, its free text scrubbed of
 * the subject, its side record committed to. For a caller that writes several events, or writes
 * them within a statement of its own (a request intake's one statement); the rows must be inserted
 * in the caller's transaction, in the order the events happened.
 */
export function pendingAuditRow(event: AuditEventInput): Insertable<AuditPendingTable> {
  if (!ACTION.test(event.action)) {
    throw new InvalidInput(
      'audit.bad_action',
      `Audit action "${event.action}" must be a dotted lowercase verb such as dsr.request.created.`,
      { action: event.action },
    );
  }
  const sideRecord = { subjectRef: event.subjectRef ?? null, sourceAddress: event.sourceAddress ?? null };
  // The commitment is made here, where the details are, so the integrator only adds the pseudonym.
  const salt = sideRecord.subjectRef !== null || sideRecord.sourceAddress !== null ? randomBytes(16) : null;
  const recordedAt = new Date();
  const body = canonicalJson(
    pendingEntryOf(
      { ...event, ...scrubLeafText(event) },
      recordedAt,
      salt ? commitToSideRecord(salt, sideRecord) : undefined,
    ),
  );
  return {
    tenant_id: event.tenantId,
    body,
    subject_ref: sideRecord.subjectRef,
    source_address: sideRecord.sourceAddress,
    salt,
    action: event.action,
    recorded_at: recordedAt,
  };
}
