import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../../kernel/database/core-tables.ts';
import type { RequestState } from '../use-cases/requests/request-states.ts';
import type { Regime, RequestType } from '../use-cases/requests/request-types.ts';
import type { StepStatus } from '../use-cases/requests/request-step-types.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

/** What a request is limited to; `fields` (erasure only) are masked on the subject's rows and nothing else is touched. */
export interface RequestScope {
  systems?: string[];
  fields?: { system: string; collection: string; field: string }[];
}

/**
 * One data subject request (GDPR Art. 15–21, CCPA §1798.100–.130). Plaintext personal data (contact
 * email, corrections) is stored only encrypted and only until the request is closed; then the
 * ciphertexts are dropped and `personal_data_minimised_at` is set (GDPR Art. 5(1)(c), (e)).
 */
export interface DsrRequestsTable {
  id: string;
  tenant_id: string;
  type: RequestType;
  regime: Regime;
  /** The type as the regime names it (`know`, `delete`, `correct`, `opt_out` for CCPA). */
  regime_type: string;
  state: RequestState;
  /** `privacy_center` (public intake) or `agent` (authenticated staff intake). */
  source: 'privacy_center' | 'agent';
  /** Optional limitation to some systems, and for erasure to some fields: `{ "systems": ["shop"], "fields": [{ "system": "shop", "collection": "customers", "field": "marketing_opt_in" }] }`. Never personal data. */
  scope: NullableJson<RequestScope>;
  /** AES-256-GCM ciphertext of the requester's contact email; null once minimised. */
  contact_ciphertext: string | null;
  /** Keyed hash of the contact email, for looking up a requester's requests without plaintext. */
  contact_hash: string;
  /** AES-256-GCM ciphertext of the JSON corrections (rectification); null once minimised. */
  corrections_ciphertext: string | null;
  /** `code` (one-time code by email) or `agent` (an authenticated agent vouched for the identity). */
  verified_by: 'code' | 'agent' | null;
  approval_required: boolean;
  /** The earlier open request this one duplicates, when the caller asked to link instead of reject. */
  duplicate_of: string | null;
  received_at: Timestamp;
  /** CCPA §7021(a): confirm receipt within 10 business days. Null for GDPR. */
  confirmation_due_at: NullableTimestamp;
  acknowledged_at: NullableTimestamp;
  due_at: Timestamp;
  original_due_at: Timestamp;
  /** Months (GDPR) or days (CCPA) the deadline was extended by, in total. */
  extension_amount: Generated<number>;
  extension_reason: string | null;
  closed_at: NullableTimestamp;
  /** Why the request was denied, failed or only partially completed. */
  outcome_reason: string | null;
  /** The execution result: erasure/rectification report per system and collection, access summary. */
  result: NullableJson<Record<string, unknown>>;
  /** When plaintext identities, contact and corrections were removed after closing. */
  personal_data_minimised_at: NullableTimestamp;
  /**
   * When the remaining pseudonymous traces (identity and contact hashes, history reasons) were purged
   * by Steward's own retention (issue 6). Null = not yet; the retention sweep sets it.
   */
  purged_at: NullableTimestamp;
  created_by_kind: string;
  created_by_id: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** The identities a request names. `value_ciphertext` is dropped at closing; the keyed hash stays for duplicates and audit. */
export interface DsrRequestIdentitiesTable {
  tenant_id: string;
  request_id: string;
  /** Identity name as in the data map: `email`, `phone`, `user_id` or a custom one. */
  name: string;
  value_hash: string;
  value_ciphertext: string | null;
}

/** Every change of a request: state transitions, extensions, codes sent and failed, with who and why. */
export interface DsrRequestHistoryTable {
  id: Generated<number>;
  tenant_id: string;
  request_id: string;
  event: string;
  from_state: RequestState | null;
  to_state: RequestState;
  actor_kind: string;
  actor_id: string;
  reason: string | null;
  at: CreatedAt;
}

/** The one-time code of a request in `verifying`. Only a salted scrypt hash is kept. */
export interface DsrVerificationCodesTable {
  tenant_id: string;
  request_id: string;
  code_hash: string | null;
  salt: string | null;
  expires_at: NullableTimestamp;
  attempts: number;
  codes_issued: number;
  last_issued_at: NullableTimestamp;
  verified_at: NullableTimestamp;
}

/** One durable step of a request's execution (plan, per-system access/erasure/rectification, package, notify, complete). */
export interface DsrRequestStepsTable {
  tenant_id: string;
  request_id: string;
  step: string;
  seq: number;
  kind: string;
  system: string | null;
  status: StepStatus;
  attempts: number;
  started_at: NullableTimestamp;
  /** Renewed by the worker running the step (database clock); a lapsed one means the worker is gone. */
  heartbeat_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  error: string | null;
  result: NullableJson<Record<string, unknown>>;
}

/** An encrypted access package on disk. The file is removed when `expires_at` passes. */
export interface DsrPackagesTable {
  tenant_id: string;
  request_id: string;
  /** Relative to `dsr.dataDir`. */
  file: string;
  size_bytes: number;
  collections: number;
  rows: number;
  created_at: CreatedAt;
  expires_at: Timestamp;
  deleted_at: NullableTimestamp;
}

/** An expiring download link of a package; only the SHA-256 of its 256-bit token is kept. */
export interface DsrDownloadLinksTable {
  id: string;
  tenant_id: string;
  request_id: string;
  token_hash: string;
  expires_at: Timestamp;
  created_by_kind: string;
  created_by_id: string;
  created_at: CreatedAt;
  downloads: Generated<number>;
  last_downloaded_at: NullableTimestamp;
  /** Set when a newer link to the same package was issued: one live link per package. */
  revoked_at: NullableTimestamp;
}

export interface DsrTables {
  dsr_requests: DsrRequestsTable;
  dsr_request_identities: DsrRequestIdentitiesTable;
  dsr_request_history: DsrRequestHistoryTable;
  dsr_verification_codes: DsrVerificationCodesTable;
  dsr_request_steps: DsrRequestStepsTable;
  dsr_packages: DsrPackagesTable;
  dsr_download_links: DsrDownloadLinksTable;
}
