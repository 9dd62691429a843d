import type { Transaction } from 'kysely';
import type { AuditEventInput } from '../audit/audit-event.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { AuthDatabase } from './store/auth-database.ts';
import { isDomainError } from '../../kernel/errors/domain-error.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/**
 * Runs `work` in a transaction (or in the caller's one). When it is refused with a Forbidden error,
 * the refusal is recorded AFTER the rollback: written inside, it would vanish with the change it
 * refused, and attempted privilege escalations are exactly what an auditor wants to see.
 */
export async function inAuditedTransaction<T>(
  db: DbHandle<AuthDatabase>,
  denial: Omit<AuditEventInput, 'outcome'>,
  work: (trx: Transaction<AuthDatabase>) => Promise<T>,
): Promise<T> {
  try {
    return db.isTransaction
      ? await work(db as Transaction<AuthDatabase>)
      : await db.transaction().execute(work);
  } catch (error) {
    if (isDomainError(error) && error.kind === 'forbidden' && !db.isTransaction) {
      await recordAuditEvent(db, {
        ...denial,
        outcome: 'denied',
        reason: error.code,
        details: { ...denial.details, ...error.details },
      });
    }
    throw error;
  }
}
