import type { DbHandle } from '../../../../kernel/database/db-handle.ts';
import type { DsrConfig } from '../../config-schema.ts';
import type { MailOutboxTables } from '../../store/mail-outbox-tables.ts';

/** A plain-text mail to a requester, with the tenant and request it is about. */
export interface OutgoingMail {
  tenantId: string;
  /** The request it is about, if any (privacy-center sign-in codes have none). */
  requestId?: string;
  to: string;
  subject: string;
  text: string;
}

/** What sending requester mail needs: the DSR config (SMTP or outbox, the key) and, for the outbox, the database. */
export interface RequesterMailServices {
  config: { dsr: DsrConfig };
  database: { db: DbHandle<MailOutboxTables> };
}
