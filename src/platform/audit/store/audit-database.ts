import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import type { AuditTables } from './audit-tables.ts';

/** The tables audit code may touch: its own and the tenants. */
export type AuditDatabase = AuditTables & CoreTables;
