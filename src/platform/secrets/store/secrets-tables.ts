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

/**
 * A master key rotation waiting for, or carried out by, a second person (auth.separationOfDuties.
 * secretsRotation). Installation-wide like the master key, so without a tenant; it names the key
 * version only, never key material.
 */
export interface SecretsRotationsTable {
  id: string;
  to_version: number;
  state: 'proposed' | 'completed' | 'superseded';
  proposed_by_kind: string;
  proposed_by_id: string;
  proposed_at: CreatedAt;
  carried_out_by_kind: string | null;
  carried_out_by_id: string | null;
  carried_out_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  rewrapped: number | null;
}

export interface SecretsTables {
  secrets: SecretsTable;
  secrets_rotations: SecretsRotationsTable;
}
