import type { AuditTables } from '../platform/audit/store/audit-tables.ts';
import type { AuthTables } from '../platform/auth/store/auth-tables.ts';
import type { SecretsTables } from '../platform/secrets/store/secrets-tables.ts';
import type { CoreTables } from '../kernel/database/core-tables.ts';
import type { DsrTables } from '../modules/dsr/store/dsr-tables.ts';
import type { ErasureJournalTables } from '../modules/dsr/store/erasure-journal-tables.ts';
import type { EventsTables } from '../platform/events/store/events-tables.ts';
import type { ConsentTables } from '../modules/consent/store/consent-tables.ts';
import type { JobsTables } from '../kernel/jobs/jobs-tables.ts';
import type { RetentionTables } from '../modules/retention/store/retention-tables.ts';

/**
 * Every table Steward owns, as Kysely sees it. Each domain declares its tables in its own
 * `<domain>-tables.ts` and adds them here, so this file is the table of contents of the schema.
 */
export interface Database extends CoreTables, AuthTables, SecretsTables, AuditTables, EventsTables, ConsentTables, JobsTables, DsrTables, ErasureJournalTables, RetentionTables {}
