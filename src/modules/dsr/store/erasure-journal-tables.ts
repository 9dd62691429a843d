import type { ColumnType, Generated } from 'kysely';

/**
 * The erased-subject journal: one row per erasure of one subject, so that after a backup is
 * restored the erasures done since can be applied again (GDPR Art. 17: erased data must not come
 * back). It holds no plaintext identity: only keyed hashes, and the plan's scope without values.
 */
export interface DsrErasureJournalTable {
  id: string;
  tenant_id: string;
  /** The request the erasure answered, when there was one. */
  request_id: string | null;
  erased_at: ColumnType<Date, Date | string, never>;
  /** identity name → keyed hashes of the normalised values (`hashIdentity`). */
  identity_hashes: ColumnType<Record<string, string[]>, string, never>;
  /** The erasure plan with its identity values removed: what was erased, where, how. */
  scope: ColumnType<unknown, string, never>;
  /** Per system and collection counts; no personal data. */
  summary: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
}

export interface ErasureJournalTables {
  dsr_erasure_journal: DsrErasureJournalTable;
}
