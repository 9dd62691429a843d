import { recordAuditEvent } from '../../../../platform/audit/record-audit-event.ts';
import type { DsrServices } from '../../dsr-services.ts';
import { dsrKeyring } from '../requests/dsr-keyring.ts';
import { SYSTEM_ACTOR } from '../requests/request-actor.ts';
import { lockRequest } from '../requests/request-record.ts';
import { appendHistory, transitionRequest } from '../requests/request-transition.ts';
import { verificationCodeNotice } from '../requests/requester-notices.ts';
import { identityContext } from '../requests/subject-reference.ts';
import { sendRequesterMail } from './mail-transport.ts';
import { generateCode, hashCode } from './one-time-code.ts';

export type IssueOutcome = 'sent' | 'not_verifying' | 'codes_exhausted';

/**
 * Sends a new one-time code to the subject's email identity (job `dsr.notify-requester`). Only the
 * code's scrypt hash is stored, before sending; a failed send is retried by the job with a fresh
 * code and does not count against `dsr.verification.maxCodes`.
 */
export async function issueVerificationCode(
  services: DsrServices,
  tenantId: string,
  requestId: string,
): Promise<IssueOutcome> {
  const { config } = services;
  const keyring = dsrKeyring(config.dsr);
  const code = generateCode();
  const { hash, salt } = await hashCode(code);
  const prepared = await services.database.db.transaction().execute(async (trx) => {
    let request = await lockRequest(trx, tenantId, requestId);
    if (request.state !== 'received' && request.state !== 'verifying')
      return { outcome: 'not_verifying' as const };
    const existing = await trx
      .selectFrom('dsr_verification_codes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('request_id', '=', requestId)
      .forUpdate()
      .executeTakeFirst();
    if (existing && existing.codes_issued >= config.dsr.verification.maxCodes)
      return { outcome: 'codes_exhausted' as const };
    const expiresAt = new Date(Date.now() + config.dsr.verification.codeTtlMinutes * 60_000);
    await trx
      .insertInto('dsr_verification_codes')
      .values({
        tenant_id: tenantId,
        request_id: requestId,
        code_hash: hash,
        salt,
        expires_at: expiresAt,
        attempts: 0,
        codes_issued: 0,
      })
      .onConflict((oc) =>
        oc.column('request_id').doUpdateSet({ code_hash: hash, salt, expires_at: expiresAt, attempts: 0 }),
      )
      .execute();
    if (request.state === 'received')
      request = await transitionRequest(services, trx, request, 'verifying', {
        actor: SYSTEM_ACTOR,
        reason: 'one-time code sent by email',
      });
    const email = await trx
      .selectFrom('dsr_request_identities')
      .select('value_ciphertext')
      .where('tenant_id', '=', tenantId)
      .where('request_id', '=', requestId)
      .where('name', '=', 'email')
      .executeTakeFirst();
    if (!email?.value_ciphertext) return { outcome: 'not_verifying' as const };
    return {
      outcome: 'ready' as const,
      request,
      to: keyring.decryptText(email.value_ciphertext, identityContext(requestId, 'email')),
    };
  });
  if (prepared.outcome !== 'ready') return prepared.outcome;

  await sendRequesterMail(services, {
    tenantId,
    requestId,
    to: prepared.to,
    ...verificationCodeNotice(prepared.request, code, config.dsr.verification.codeTtlMinutes),
  });

  await services.database.db.transaction().execute(async (trx) => {
    const now = new Date();
    const issued = await trx
      .updateTable('dsr_verification_codes')
      .set((eb) => ({ codes_issued: eb('codes_issued', '+', 1), last_issued_at: now }))
      .where('tenant_id', '=', tenantId)
      .where('request_id', '=', requestId)
      .returning('codes_issued')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('dsr_requests')
      .set({ acknowledged_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', requestId)
      .where('acknowledged_at', 'is', null)
      .execute();
    await appendHistory(
      trx,
      prepared.request,
      'code_sent',
      'verifying',
      'verifying',
      SYSTEM_ACTOR,
      `code ${issued.codes_issued} of ${config.dsr.verification.maxCodes}`,
    );
    await recordAuditEvent(trx, {
      tenantId,
      actor: SYSTEM_ACTOR,
      action: 'dsr.verification.code_sent',
      object: { type: 'dsr_request', id: requestId },
      outcome: 'success',
      details: { codesIssued: issued.codes_issued },
    });
  });
  return 'sent';
}
