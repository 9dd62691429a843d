import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import type { AuditTables } from '../../../platform/audit/store/audit-tables.ts';
import type { EventsTables } from '../../../platform/events/store/events-tables.ts';
import type { RetentionTables } from './retention-tables.ts';

/** The tables retention code may touch: its runs, the tenants, and the audit and event outboxes. */
export type RetentionDatabase = RetentionTables & CoreTables & AuditTables & EventsTables;
