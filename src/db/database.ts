import type { AuditTables } from '../audit/audit-tables.ts';
import type { AuthTables } from '../auth/auth-tables.ts';
import type { SecretsTables } from '../secrets/secrets-tables.ts';
import type { CoreTables } from './core-tables.ts';
import type { DsrTables } from '../dsr/dsr-tables.ts';
import type { ErasureJournalTables } from '../dsr/journal/erasure-journal-tables.ts';
import type { EventsTables } from '../events/events-tables.ts';
import type { ConsentTables } from '../consent/consent-tables.ts';
import type { JobsTables } from '../jobs/jobs-tables.ts';
import type { RetentionTables } from '../retention/retention-tables.ts';

/**
 * Every table Steward owns, as Kysely sees it. Each domain declares its tables in its own
 * `<domain>-tables.ts` and adds them here, so this file is the table of contents of the schema.
 */
export interface Database extends CoreTables, AuthTables, SecretsTables, AuditTables, EventsTables, ConsentTables, JobsTables, DsrTables, ErasureJournalTables, RetentionTables {}
