import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import type { AuditTables } from '../../audit/store/audit-tables.ts';
import type { SecretsTables } from '../../secrets/store/secrets-tables.ts';
import type { EventsTables } from './events-tables.ts';

/** The tables event code may touch: its outbox and webhooks, the tenants, the audit outbox, and the sealed webhook secrets. */
export type EventsDatabase = EventsTables & CoreTables & AuditTables & SecretsTables;
