import { createHash, randomBytes } from 'node:crypto';

/** A 256-bit session token for the cookie and the hash the database keeps (a stolen table grants nothing). */
export function issueSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSessionToken(token) };
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
