import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import type { AuditTables } from '../../audit/store/audit-tables.ts';
import type { AuthTables } from './auth-tables.ts';

/** The tables auth code may touch: its own, the tenants, and the audit outbox its changes are recorded in. */
export type AuthDatabase = AuthTables & CoreTables & AuditTables;
