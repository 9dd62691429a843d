import type { ColumnType } from 'kysely';

/**
 * Requester mail kept in Steward instead of being sent (`dsr.outbox`, on with the demo when no SMTP
 * server is configured), so identity verification can be tried end to end: `steward demo mail` shows
 * it. Recipient, subject and text are personal data (and a one-time code), so the row holds them
 * only encrypted; the own-data purge deletes rows after `retention.stewardData.outboxMailDays`.
 */
export interface DsrMailOutboxTable {
  id: string;
  tenant_id: string;
  /** The request the mail is about; null for mail not tied to one (privacy-center sign-in codes). */
  request_id: string | null;
  /** `{ to, subject, text }` as JSON, AES-256-GCM under the DSR key, bound to the row id. */
  sealed_mail: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface MailOutboxTables {
  dsr_mail_outbox: DsrMailOutboxTable;
}
