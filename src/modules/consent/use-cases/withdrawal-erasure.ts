import type { Transaction } from 'kysely';
import type { ConsentDatabase } from '../store/consent-database.ts';
import { isDomainError } from '../../../kernel/errors/domain-error.ts';
import type { ConsentServices } from '../consent-services.ts';
import { consentOnlyFields } from '../core/consent-only-fields.ts';

/** The queue of `consentWithdrawalErasureJob` (consent-jobs.ts). */
export const WITHDRAWAL_ERASURE_QUEUE = 'consent.withdrawal-erasure';

export interface WithdrawalErasurePayload {
  tenantId: string;
  /** The `withdrawn` ledger entry; the payload carries no personal data, the job reads the subject. */
  ledgerId: string;
}

const ACTOR = { kind: 'system' as const, id: 'consent-withdrawal' };

/**
 * Asks for the erasure that a withdrawal calls for, in the withdrawal's transaction, when the data
 * map says some data was processed under that consent alone. A job does the asking after commit,
 * once per ledger entry.
 */
export async function enqueueWithdrawalErasure(
  services: ConsentServices,
  trx: Transaction<ConsentDatabase>,
  payload: WithdrawalErasurePayload,
): Promise<void> {
  await services.jobs.enqueue(WITHDRAWAL_ERASURE_QUEUE, payload, {
    within: trx,
    idempotencyKey: `${payload.tenantId}:${payload.ledgerId}`,
  });
}

export type WithdrawalErasureOutcome = { requestId: string } | { notOpened: string };

/**
 * GDPR Art. 17(1)(b): once a consent is withdrawn and nothing else justifies the processing, the
 * data processed only under it must go. Opens an erasure request limited to exactly those fields
 * (`scope.fields`: masked on the subject's rows, nothing else touched), verified by Steward itself
 * and following the DSR workflow (approval when `dsr.approvalRequired` or the tenant's four-eyes policy, `auth.separationOfDuties`, says so). Not opened when
 * the subject has consented again meanwhile, or when the subject cannot be named as the configured
 * identity. Idempotent per ledger entry: a re-run finds the record of the first.
 */
export async function openWithdrawalErasure(
  services: ConsentServices,
  payload: WithdrawalErasurePayload,
): Promise<WithdrawalErasureOutcome> {
  const { db } = services.database;
  const { tenantId, ledgerId } = payload;
  const done = await db
    .selectFrom('consent_withdrawal_erasures')
    .select(['request_id', 'reason'])
    .where('tenant_id', '=', tenantId)
    .where('ledger_id', '=', ledgerId)
    .executeTakeFirst();
  if (done) return done.request_id ? { requestId: done.request_id } : { notOpened: done.reason ?? '' };
  const entry = await db
    .selectFrom('consent_ledger')
    .select(['subject', 'purpose', 'action'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', ledgerId)
    .executeTakeFirst();
  const outcome = entry
    ? await open(services, tenantId, entry)
    : { notOpened: 'the ledger entry does not exist' };
  await db
    .insertInto('consent_withdrawal_erasures')
    .values({
      tenant_id: tenantId,
      ledger_id: ledgerId,
      request_id: 'requestId' in outcome ? outcome.requestId : null,
      reason: 'notOpened' in outcome ? outcome.notOpened : null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'ledger_id']).doNothing())
    .execute();
  if ('notOpened' in outcome)
    services.logger.info(
      { tenantId, ledgerId, reason: outcome.notOpened },
      'no erasure request for this consent withdrawal',
    );
  return outcome;
}

async function open(
  services: ConsentServices,
  tenantId: string,
  entry: { subject: string; purpose: string; action: string },
): Promise<WithdrawalErasureOutcome> {
  if (entry.action !== 'withdrawn')
    return { notOpened: `the ledger entry is ${entry.action}, not a withdrawal` };
  const state = await services.database.db
    .selectFrom('consent_state')
    .select('status')
    .where('tenant_id', '=', tenantId)
    .where('subject', '=', entry.subject)
    .where('purpose', '=', entry.purpose)
    .executeTakeFirst();
  if (state?.status === 'given') return { notOpened: 'the subject has consented again since' };
  const fields = consentOnlyFields(services.dataMaps.forTenant(tenantId).dataMap, entry.purpose);
  if (fields.length === 0)
    return { notOpened: `the data map names no data processed only under consent for ${entry.purpose}` };
  const settings = services.config.consent.withdrawalErasure;
  try {
    return await services.erasureRequests.openErasure({
      tenantId,
      actor: ACTOR,
      identities: { [settings.identity]: entry.subject },
      contactEmail: settings.contactEmail,
      scope: { systems: [...new Set(fields.map((f) => f.system))], fields },
    });
  } catch (error) {
    // A subject that is not a valid value of the identity (not an email address, say) can never be
    // opened: recorded with the reason instead of retried. Anything else is retried by the job.
    if (isDomainError(error) && error.kind === 'invalid')
      return { notOpened: `${error.code}: ${error.message}` };
    throw error;
  }
}
