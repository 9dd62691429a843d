import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../../kernel/database/core-tables.ts';

/** Secrets sealed by envelope encryption (src/secrets/envelope-encryption.ts); no plaintext column exists. */
export interface SecretsTable {
  tenant_id: string;
  name: string;
  ciphertext: Uint8Array;
  wrapped_key: Uint8Array;
  master_key_version: number;
  /** Bumped at every write of a new value, so users of the secret can tell it changed. */
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SecretsTables {
  secrets: SecretsTable;
}
