import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import type { AuditTables } from '../../../platform/audit/store/audit-tables.ts';
import type { EventsTables } from '../../../platform/events/store/events-tables.ts';
import type { ConsentTables } from './consent-tables.ts';

/** The tables consent code may touch: its notices and ledger, the tenants, and the audit and event outboxes. */
export type ConsentDatabase = ConsentTables & CoreTables & AuditTables & EventsTables;
