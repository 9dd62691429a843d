import { randomUUID } from 'node:crypto';
import { TooManyRequests } from '../../../kernel/errors/domain-error.ts';
import type { WebServices } from '../web-services.ts';
import { generateCode, hashCode, identityRulesOf, normaliseIdentities } from '../../dsr/api.ts';
import { countRecentChallenges, deleteChallenge, insertChallenge } from '../store/subject-challenges.ts';
import { webStore } from '../store/web-tables.ts';

export type SubjectCodeServices = Pick<WebServices, 'database' | 'dataMaps' | 'requesterMail'>;

/** Codes one address may be sent per hour: enough to retry, too few to flood a mailbox. */
export const CODES_PER_HOUR = 5;
export const CODE_TTL_MINUTES = 10;

/** The namespace of the address's keyed hash: the web module's own, unrelated to request lookups. */
export const SUBJECT_HASH_NAME = 'web.consent_subject';

/** The address in the form it is compared and kept as a consent subject (lower case, trimmed). */
export function normaliseSubjectEmail(
  services: Pick<WebServices, 'dataMaps'>,
  tenantId: string,
  email: string,
): string {
  return normaliseIdentities({ email }, identityRulesOf(services, tenantId)).email!;
}

/**
 * Mails a one-time code to an address whose owner wants to see and change their consent in the
 * privacy center. Only the code's scrypt hash and the address's keyed hash are stored; a failed
 * send leaves nothing behind. Anyone may ask for a code for any address, so the answer is the same
 * whether the address is known or not.
 */
export async function issueSubjectCode(
  services: SubjectCodeServices,
  tenantId: string,
  email: string,
): Promise<{ challengeId: string; expiresAt: Date }> {
  const subject = normaliseSubjectEmail(services, tenantId, email);
  const db = webStore(services.database.db);
  const subjectHash = services.requesterMail.keyedHash(tenantId, SUBJECT_HASH_NAME, subject);
  const recent = await countRecentChallenges(db, tenantId, subjectHash, new Date(Date.now() - 3600_000));
  if (recent >= CODES_PER_HOUR) {
    throw new TooManyRequests(
      'web.too_many_codes',
      `${CODES_PER_HOUR} codes were sent to this address in the last hour. Use the latest one, or try again in an hour.`,
      { retryAfterSeconds: 3600 },
    );
  }
  const code = generateCode();
  const { hash, salt } = await hashCode(code);
  const challengeId = randomUUID();
  const expiresAt = new Date(Date.now() + CODE_TTL_MINUTES * 60_000);
  await insertChallenge(db, {
    id: challengeId,
    tenant_id: tenantId,
    subject_hash: subjectHash,
    code_hash: hash,
    salt,
    expires_at: expiresAt,
  });
  try {
    await services.requesterMail.send({
      tenantId,
      to: subject,
      subject: `Your privacy center code: ${code}`,
      text: [
        'You asked to see and change your privacy choices in our privacy center.',
        '',
        `Enter this code there: ${code}`,
        `It is valid for ${CODE_TTL_MINUTES} minutes.`,
        '',
        'If you did not ask for it, ignore this message; nothing changes without the code.',
      ].join('\n'),
    });
  } catch (error) {
    await deleteChallenge(db, tenantId, challengeId);
    throw error;
  }
  return { challengeId, expiresAt };
}
