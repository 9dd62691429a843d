import type { AuditDatabase } from './store/audit-database.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/**
 * Erases what the audit log holds about a data subject (GDPR Art. 17, and Art. 5(1)(e) once a
 * request is closed): the side records with their subject reference and source address, and with
 * them the salts that made the leaves' commitments checkable. Leaves are untouched, so every proof
 * and checkpoint stays valid; what remains is the keyed pseudonym, which says nothing without the
 * key. Events still waiting for the integrator are marked, so that they get their pseudonym but no
 * side record. A subject may be named by several references (`email:…`, `customer_id:…`); each is
 * given. Returns the number of side records destroyed (marked pending events not counted).
 */
export async function destroySubjectSideRecords(
  trx: DbHandle<AuditDatabase>,
  tenantId: string,
  subjectRefs: string | readonly string[],
): Promise<number> {
  const refs = typeof subjectRefs === 'string' ? [subjectRefs] : [...subjectRefs];
  if (refs.length === 0) return 0;
  await trx
    .updateTable('audit_pending')
    .set({ forget_details: true, source_address: null })
    .where('tenant_id', '=', tenantId)
    .where('subject_ref', 'in', refs)
    .execute();
  const result = await trx
    .deleteFrom('audit_entry_details')
    .where('tenant_id', '=', tenantId)
    .where('subject_ref', 'in', refs)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
