import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt } from '../../../kernel/database/core-tables.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** GDPR Art. 6(1)(a)–(f), plus CCPA's notice at collection (§1798.100(a)) for CCPA-only purposes. */
export type NoticeLegalBasis =
  | 'consent'
  | 'contract'
  | 'legal_obligation'
  | 'vital_interests'
  | 'public_task'
  | 'legitimate_interests'
  | 'ccpa_notice_at_collection';

/** opt_in: nothing until given; opt_out: allowed until withdrawn; notice_only: informed, no choice. */
export type NoticeMechanism = 'opt_in' | 'opt_out' | 'notice_only';

export type LedgerAction = 'given' | 'withdrawn' | 'expired' | 'renewed';

/** Vendor ids of a TC string as stored: inclusive ranges, or (rows from before ranges) plain ids. */
export type StoredIds = Array<[number, number]> | number[];

export type ConsentSource = 'web' | 'api' | 'import' | 'gpc' | 'tcf' | 'system';

/** A privacy notice: one purpose, presented to people in some regions; its content is versioned. */
export interface ConsentNoticesTable {
  id: string;
  tenant_id: string;
  /** Stable handle used by the API and imports, e.g. `newsletter`. */
  key: string;
  /** A data use from the taxonomy (or a built-in CCPA purpose). */
  purpose: string;
  current_version: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** One immutable version of a notice: what the person was shown and on which terms. */
export interface ConsentNoticeVersionsTable {
  tenant_id: string;
  notice_id: string;
  version: number;
  title: string;
  text: string;
  legal_basis: NoticeLegalBasis;
  mechanism: NoticeMechanism;
  /** ISO 3166 codes or groups (EU, EEA, US-CA); empty = everywhere. */
  regions: JSONColumnType<string[]>;
  /** Null: `consent.validityMonths` from the config. */
  validity_months: number | null;
  created_at: CreatedAt;
}

/** Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE (GDPR Art. 7(1): the controller must be able to demonstrate consent). */
export interface ConsentLedgerTable {
  id: string;
  position: Generated<number>;
  tenant_id: string;
  subject: string;
  purpose: string;
  action: LedgerAction;
  notice_id: string | null;
  notice_version: number | null;
  legal_basis: NoticeLegalBasis | null;
  source: ConsentSource;
  jurisdiction: string | null;
  /** HMAC-SHA256 of the IP address and user agent; the raw values are never stored. */
  proof: JSONColumnType<{ ipHash?: string; userAgentHash?: string } | null, string | null>;
  occurred_at: Timestamp;
  /** given/renewed: when the consent lapses. */
  expires_at: NullableTimestamp;
  recorded_at: CreatedAt;
  actor_kind: string;
  actor_id: string;
}

/** The current state per subject and purpose: a projection of the ledger, written in the same transaction. */
export interface ConsentStateTable {
  tenant_id: string;
  subject: string;
  purpose: string;
  status: 'given' | 'withdrawn' | 'expired';
  ledger_id: string;
  notice_id: string | null;
  notice_key: string | null;
  notice_version: number | null;
  legal_basis: NoticeLegalBasis | null;
  source: ConsentSource;
  occurred_at: Timestamp;
  expires_at: NullableTimestamp;
  /** The expiry reminder event was emitted for this ledger entry. */
  reminded_at: NullableTimestamp;
}

/** IAB TCF v2.2 consent strings as received (append-only), with what they decode to. */
export interface ConsentTcfRecordsTable {
  id: string;
  position: Generated<number>;
  tenant_id: string;
  subject: string;
  tc_string: string;
  cmp_id: number;
  cmp_version: number;
  policy_version: number;
  vendor_list_version: number;
  consent_language: string;
  publisher_country_code: string;
  purpose_consents: JSONColumnType<number[]>;
  purpose_legitimate_interests: JSONColumnType<number[]>;
  /** Inclusive id ranges (`[[1, 65535]]`); rows written before ranges were kept hold plain id lists. */
  vendor_consents: JSONColumnType<StoredIds>;
  vendor_legitimate_interests: JSONColumnType<StoredIds>;
  special_feature_optins: JSONColumnType<number[]>;
  string_created_at: Timestamp;
  string_updated_at: Timestamp;
  source: ConsentSource;
  proof: JSONColumnType<{ ipHash?: string; userAgentHash?: string } | null, string | null>;
  recorded_at: CreatedAt;
}

/** The per-tenant HMAC key for proofs when `consent.proofKey` is not configured. */
export interface ConsentProofKeysTable {
  tenant_id: string;
  key: string;
  created_at: CreatedAt;
}

/** Which withdrawals already opened (or did not need) an erasure request: makes the job idempotent. */
export interface ConsentWithdrawalErasuresTable {
  tenant_id: string;
  ledger_id: string;
  /** The erasure request opened; null when none was needed or none could be opened (`reason`). */
  request_id: string | null;
  reason: string | null;
  created_at: CreatedAt;
}

export interface ConsentTables {
  consent_notices: ConsentNoticesTable;
  consent_notice_versions: ConsentNoticeVersionsTable;
  consent_ledger: ConsentLedgerTable;
  consent_state: ConsentStateTable;
  consent_tcf_records: ConsentTcfRecordsTable;
  consent_proof_keys: ConsentProofKeysTable;
  consent_withdrawal_erasures: ConsentWithdrawalErasuresTable;
}
