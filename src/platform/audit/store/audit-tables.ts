import type { ColumnType, Generated } from 'kysely';

/**
 * An audit event recorded in the caller's transaction, waiting for the integrator to give it its
 * index in the tenant's log. `body` is the RFC 8785 canonical JSON of the entry without its subject
 * pseudonym; the personal parts wait here until they move to `audit_entry_details`.
 */
export interface AuditPendingTable {
  id: Generated<number>;
  tenant_id: string;
  body: string;
  subject_ref: string | null;
  source_address: string | null;
  /** Salt of the side-record commitment already in `body`; null when the event has no personal details. */
  salt: Uint8Array | null;
  /** Copies of the entry's action and time, for the entries table's query columns. */
  action: string | null;
  recorded_at: Date | null;
  /** The subject was forgotten while the event waited: the leaf gets its pseudonym, no side record is kept. */
  forget_details: Generated<boolean>;
}

/**
 * One leaf of a tenant's Merkle log. `entry` holds the exact canonical bytes that were hashed
 * (never re-serialised), `leaf_hash` = SHA-256(0x00 ‖ entry) (RFC 9162 §2.1.1).
 */
export interface AuditEntriesTable {
  tenant_id: string;
  idx: number;
  entry: string;
  leaf_hash: Uint8Array;
  action: string;
  recorded_at: ColumnType<Date, Date | string, never>;
}

/**
 * The personal side of an entry (source address, subject reference) with the salt of the commitment
 * in the leaf. Deleting a row here leaves every proof intact (GDPR Art. 17 against Art. 5(2)).
 */
export interface AuditEntryDetailsTable {
  tenant_id: string;
  idx: number;
  salt: Uint8Array;
  subject_ref: string | null;
  source_address: string | null;
}

/**
 * Hashes of complete subtrees above the leaves: node (level, position) covers leaves
 * [position·2^level, (position+1)·2^level). Any proof needs O(log n) of them.
 */
export interface AuditTreeNodesTable {
  tenant_id: string;
  level: number;
  position: number;
  hash: Uint8Array;
}

/** Each tenant log's size and right-edge frontier (roots of its complete subtrees, largest first). */
export interface AuditTreeStateTable {
  tenant_id: string;
  tree_size: number;
  frontier: Uint8Array;
  root_hash: Uint8Array;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Signed checkpoints as published, newest last; the copies outside the database are what count. */
export interface AuditCheckpointsTable {
  tenant_id: string;
  tree_size: number;
  root_hash: Uint8Array;
  note: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/**
 * What the integrity checks found wrong with a tenant's log, one row per check (`checkpoint`: the
 * signer's consistency check every minute; `full`: the daily recomputation). A check that passes
 * removes its row; /readyz reports the instance degraded while any row exists.
 */
export interface AuditIntegrityTable {
  tenant_id: string;
  check_name: string;
  problem: string;
  detected_at: ColumnType<Date, Date | string | undefined, Date | string>;
  checked_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AuditTables {
  audit_pending: AuditPendingTable;
  audit_entries: AuditEntriesTable;
  audit_entry_details: AuditEntryDetailsTable;
  audit_tree_nodes: AuditTreeNodesTable;
  audit_tree_state: AuditTreeStateTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_integrity: AuditIntegrityTable;
}
