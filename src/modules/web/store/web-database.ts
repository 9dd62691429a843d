import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import type { AuditTables } from '../../../platform/audit/store/audit-tables.ts';
import type { WebTables } from './web-tables.ts';

/**
 * The tables web code may touch: its own (the privacy center's sign-in challenges), the tenants, and
 * the audit log it records reads of personal data in. Requests, consent and retention runs are read
 * through ports (ports/), so a query on their tables here does not compile.
 */
export type WebDatabase = WebTables & CoreTables & AuditTables;
