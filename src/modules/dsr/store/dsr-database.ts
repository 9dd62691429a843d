import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import type { JobsTables } from '../../../kernel/jobs/jobs-tables.ts';
import type { AuditTables } from '../../../platform/audit/store/audit-tables.ts';
import type { EventsTables } from '../../../platform/events/store/events-tables.ts';
import type { DsrTables } from './dsr-tables.ts';
import type { ErasureJournalTables } from './erasure-journal-tables.ts';
import type { MailOutboxTables } from './mail-outbox-tables.ts';

/** The tables DSR code may touch: its requests, journal and mail outbox, the tenants, and the audit and event outboxes. */
export type DsrDatabase = DsrTables &
  ErasureJournalTables &
  MailOutboxTables &
  CoreTables &
  JobsTables &
  AuditTables &
  EventsTables;
