import type { ColumnType } from 'kysely';

export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Tenants (namespaces) isolate everything; every domain row carries a tenant_id. */
export interface TenantsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface CoreTables {
  tenants: TenantsTable;
}

/** The tenant every fresh installation starts with. */
export const DEFAULT_TENANT_ID = 'default';
