import type { Transaction } from 'kysely';
import type { DsrDatabase } from '../../store/dsr-database.ts';
import { destroySubjectSideRecords } from '../../../../platform/audit/destroy-subject-side-records.ts';
import type { DsrKeyring } from './dsr-keyring.ts';
import { decryptIdentities } from './subject-reference.ts';

/**
 * Drops the plaintext personal data of a closed request: identity values, contact email and
 * corrections (GDPR Art. 5(1)(c), (e)), and the audit log's side records naming the subject by any
 * of them (the leaves keep only the pseudonym). What stays is pseudonymous (keyed hashes for
 * duplicate detection and audit) until Steward's retention purges it (`purged_at`, issue 6).
 */
export async function minimisePersonalData(
  trx: Transaction<DsrDatabase>,
  keyring: DsrKeyring,
  tenantId: string,
  requestId: string,
): Promise<void> {
  const minimised = await trx
    .updateTable('dsr_requests')
    .set({ contact_ciphertext: null, corrections_ciphertext: null, personal_data_minimised_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', requestId)
    .where('closed_at', 'is not', null)
    .where('personal_data_minimised_at', 'is', null)
    .executeTakeFirst();
  if (Number(minimised.numUpdatedRows) === 0) return;
  const identities = await decryptIdentities(trx, keyring, tenantId, requestId);
  await destroySubjectSideRecords(
    trx,
    tenantId,
    Object.entries(identities).map(([name, value]) => `${name}:${value}`),
  );
  await trx
    .updateTable('dsr_request_identities')
    .set({ value_ciphertext: null })
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId)
    .execute();
}
