import { Forbidden, InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { codeMatches } from '../../dsr/api.ts';
import { SUBJECT_SESSION_SECONDS, type SubjectSession } from '../core/subject-session.ts';
import { countAttempt, deleteChallenge } from '../store/subject-challenges.ts';
import { webStore } from '../store/web-tables.ts';
import { normaliseSubjectEmail, SUBJECT_HASH_NAME, type SubjectCodeServices } from './issue-subject-code.ts';

/** Wrong codes one challenge takes before it is burnt and a new code is needed. */
export const MAX_ATTEMPTS = 5;

/**
 * Checks a code against its challenge and the address it was sent to; on success the challenge is
 * used up and the visitor is the consent subject of that address for half an hour. Every try
 * counts, right or wrong, before the comparison, so concurrent guesses cannot exceed the limit.
 */
export async function verifySubjectCode(
  services: SubjectCodeServices,
  tenantId: string,
  input: { challengeId: string; email: string; code: string },
): Promise<SubjectSession> {
  const db = webStore(services.database.db);
  const refused = new InvalidInput(
    'web.code_wrong',
    'This code is not right for this address. Check the latest email, or ask for a new code.',
  );
  const challenge = await countAttempt(db, tenantId, input.challengeId);
  if (!challenge) throw refused;
  if (challenge.expires_at.getTime() < Date.now()) {
    throw new Forbidden('web.code_expired', 'This code has expired. Ask for a new one.');
  }
  if (challenge.attempts > MAX_ATTEMPTS) {
    throw new Forbidden(
      'web.code_exhausted',
      `This code was entered wrongly ${MAX_ATTEMPTS} times. Ask for a new one.`,
    );
  }
  const subject = normaliseSubjectEmail(services, tenantId, input.email);
  const subjectHash = services.requesterMail.keyedHash(tenantId, SUBJECT_HASH_NAME, subject);
  const matches =
    subjectHash === challenge.subject_hash &&
    (await codeMatches(input.code, challenge.code_hash, challenge.salt));
  if (!matches) throw refused;
  await deleteChallenge(db, tenantId, challenge.id);
  return { tenantId, subject, expiresAt: Date.now() + SUBJECT_SESSION_SECONDS * 1000 };
}
