/**
 * A privacy-center visitor who proved, with a code mailed to them, that an address is theirs: the
 * tenant, the address (the consent subject) and when the proof lapses. It travels in a signed,
 * HttpOnly cookie; this codec only shapes the value the cookie signs.
 */
export interface SubjectSession {
  tenantId: string;
  subject: string;
  expiresAt: number;
}

/** How long a verified visitor may change their choices before proving the address again. */
export const SUBJECT_SESSION_SECONDS = 30 * 60;

export function encodeSubjectSession(session: SubjectSession): string {
  return Buffer.from(JSON.stringify([session.tenantId, session.subject, session.expiresAt])).toString(
    'base64url',
  );
}

/** The session in a (signature-checked) cookie value, or undefined when malformed or lapsed. */
export function decodeSubjectSession(value: string, now: number): SubjectSession | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [tenantId, subject, expiresAt] = parsed as unknown[];
    if (typeof tenantId !== 'string' || typeof subject !== 'string' || typeof expiresAt !== 'number')
      return undefined;
    return expiresAt > now ? { tenantId, subject, expiresAt } : undefined;
  } catch {
    return undefined;
  }
}
