import type { DsrServices } from '../../dsr-services.ts';
import { issueDownloadLink } from '../packages/download-links.ts';
import { issueVerificationCode } from '../verification/issue-verification-code.ts';
import { sendRequesterMail } from '../verification/mail-transport.ts';
import { dsrKeyring } from './dsr-keyring.ts';
import { SYSTEM_ACTOR } from './request-actor.ts';
import { minimisePersonalData } from './minimise-request.ts';
import type { NotifyRequesterPayload } from './request-queues.ts';
import { loadRequest } from './request-record.ts';
import {
  acknowledgementNotice,
  closingNotice,
  extensionNotice,
  type NoticeText,
} from './requester-notices.ts';
import { contactContext } from './subject-reference.ts';
import { noticeFailure } from './notice-failure.ts';
import { isDomainError } from '../../../../kernel/errors/domain-error.ts';

/**
 * Handler of `dsr.notify-requester`: one message to the requester. The closing notice is the last
 * use of the contact address, so personal data is minimised right after it, and also when the
 * notice finally fails (`lastAttempt`): keeping data to retry a mail forever is not proportionate.
 */
export async function notifyRequester(
  services: DsrServices,
  payload: NotifyRequesterPayload,
  lastAttempt: boolean,
  attempt = 0,
): Promise<{ outcome: string }> {
  try {
    if (payload.notice === 'verification_code')
      return { outcome: await issueVerificationCode(services, payload.tenantId, payload.requestId) };
    return { outcome: await sendNotice(services, payload) };
  } catch (error) {
    if (payload.notice === 'closed' && lastAttempt) await minimise(services, payload);
    // Without a mail server every retry fails the same way: one line each, with the next attempt.
    if (isDomainError(error) && error.code === 'dsr.mail_failed')
      throw noticeFailure(error, payload.notice, attempt);
    throw error;
  }
}

async function sendNotice(services: DsrServices, payload: NotifyRequesterPayload): Promise<string> {
  const { db } = services.database;
  const request = await loadRequest(db, payload.tenantId, payload.requestId);
  if (!request.contact_ciphertext) return 'minimised';
  const to = dsrKeyring(services.config.dsr).decryptText(
    request.contact_ciphertext,
    contactContext(request.id),
  );
  let notice: NoticeText;
  if (payload.notice === 'acknowledgement') notice = acknowledgementNotice(request);
  else if (payload.notice === 'extension') notice = extensionNotice(request);
  else {
    // A link only for results worth downloading; a failed request's package would be empty or partial by accident.
    const download =
      request.state === 'completed' || request.state === 'partially_completed'
        ? await issueDownloadLink(services, request, SYSTEM_ACTOR)
        : undefined;
    notice = closingNotice(request, download);
  }
  await sendRequesterMail(services, { tenantId: request.tenant_id, requestId: request.id, to, ...notice });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('dsr_requests')
      .set({ acknowledged_at: new Date() })
      .where('tenant_id', '=', request.tenant_id)
      .where('id', '=', request.id)
      .where('acknowledged_at', 'is', null)
      .execute();
  });
  if (payload.notice === 'closed') await minimise(services, payload);
  return 'sent';
}

async function minimise(services: DsrServices, payload: NotifyRequesterPayload): Promise<void> {
  await services.database.db
    .transaction()
    .execute((trx) =>
      minimisePersonalData(trx, dsrKeyring(services.config.dsr), payload.tenantId, payload.requestId),
    );
}
