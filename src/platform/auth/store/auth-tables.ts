import type { ColumnType, JSONColumnType } from 'kysely';
import type { CreatedAt } from '../../../kernel/database/core-tables.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/**
 * Staff identities. The one table without a tenant_id: a person may work in several tenants, and
 * what they may do in each lives in `tenant_memberships`, which does carry the tenant. The email is
 * personal data of staff and is only used to sign in and to find the person.
 */
export interface UsersTable {
  id: string;
  email: string;
  /** `issuer|subject` of the OpenID provider account linked at first sign-in. */
  oidc_identity: string | null;
  disabled_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** What a user may do in a tenant: one row per role held there. */
export interface TenantMembershipsTable {
  tenant_id: string;
  user_id: string;
  role: string;
  /** `manual` (API/CLI) or `oidc` (re-derived from the provider's groups at every sign-in). */
  source: string;
  created_at: CreatedAt;
}

/** Service credentials. Only a SHA-256 of the key is kept; the key itself is shown once. */
export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  /** The first characters of the key (`stw_AbCd1234`), so people can tell keys apart. */
  prefix: string;
  key_hash: string;
  permissions: JSONColumnType<string[]>;
  created_by: string;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** Browser sessions after single sign-on. The cookie carries the token; only its hash is stored. */
export interface SessionsTable {
  token_hash: string;
  tenant_id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface AuthTables {
  users: UsersTable;
  tenant_memberships: TenantMembershipsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
}
