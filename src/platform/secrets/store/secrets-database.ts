import type { CoreTables } from '../../../kernel/database/core-tables.ts';
import type { AuditTables } from '../../audit/store/audit-tables.ts';
import type { SecretsTables } from './secrets-tables.ts';

/** The tables secret code may touch: the sealed secrets, the tenants, and the audit outbox. */
export type SecretsDatabase = SecretsTables & CoreTables & AuditTables;
