import type { Kysely, Transaction } from 'kysely';
import type { AuditDatabase } from './store/audit-database.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/**
 * Erases what the audit log holds about a data subject (GDPR Art. 17): the side records with their
 * subject reference and source address, and with them the salts that made the leaves' commitments
 * checkable. Leaves are untouched, so every proof and checkpoint stays valid; what remains is the
 * keyed pseudonym, which says nothing without the key. Events still pending integration keep their
 * details until they are appended (within a minute); run this again after that. Returns the number
 * of side records destroyed.
 */
export async function destroySubjectSideRecords(
  trx: DbHandle<AuditDatabase>,
  tenantId: string,
  subjectRef: string,
): Promise<number> {
  const result = await trx
    .deleteFrom('audit_entry_details')
    .where('tenant_id', '=', tenantId)
    .where('subject_ref', '=', subjectRef)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
