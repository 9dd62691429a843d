import { randomUUID } from 'node:crypto';
import { dsrKeyring } from '../requests/dsr-keyring.ts';
import type { OutgoingMail, RequesterMailServices } from './outgoing-mail.ts';

/** A mail as the outbox shows it: newest first, decrypted for the reader. */
export interface OutboxMail {
  id: string;
  tenantId: string;
  requestId: string | null;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

const sealContext = (id: string) => `mail-outbox:${id}`;

/**
 * Keeps a requester mail in the outbox instead of sending it (`dsr.outbox`). Committed before it
 * returns, like an SMTP server's acceptance; recipient, subject and text are stored encrypted.
 */
export async function keepInOutbox(services: RequesterMailServices, mail: OutgoingMail): Promise<void> {
  const id = randomUUID();
  const sealed = dsrKeyring(services.config.dsr).encryptText(
    JSON.stringify({ to: mail.to, subject: mail.subject, text: mail.text }),
    sealContext(id),
  );
  await services.database.db
    .insertInto('dsr_mail_outbox')
    .values({ id, tenant_id: mail.tenantId, request_id: mail.requestId ?? null, sealed_mail: sealed })
    .execute();
}

/** The outbox, newest first: every tenant's, or one tenant's (for the console). */
export async function listOutboxMail(
  services: RequesterMailServices,
  options: { tenantId?: string; limit: number },
): Promise<OutboxMail[]> {
  let query = services.database.db
    .selectFrom('dsr_mail_outbox')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(options.limit);
  if (options.tenantId !== undefined) query = query.where('tenant_id', '=', options.tenantId);
  const keyring = dsrKeyring(services.config.dsr);
  return (await query.execute()).map((row) => {
    const mail = JSON.parse(keyring.decryptText(row.sealed_mail, sealContext(row.id))) as {
      to: string;
      subject: string;
      text: string;
    };
    return {
      id: row.id,
      tenantId: row.tenant_id,
      requestId: row.request_id,
      ...mail,
      createdAt: row.created_at,
    };
  });
}
