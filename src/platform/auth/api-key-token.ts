import { hash, randomBytes } from 'node:crypto';

const KEY_PATTERN = /^stw_[A-Za-z0-9_-]{43}$/;

/** A freshly made API key: the secret (shown once), what identifies it, and the hash to store. */
export interface IssuedApiKeyToken {
  token: string;
  prefix: string;
  hash: string;
}

/**
 * 256 bits from the CSPRNG, base64url, behind `stw_` so secret scanners and people recognise it.
 * A plain SHA-256 is enough to store it: with 256 random bits there is nothing to brute-force, so a
 * slow password hash would only slow down every request.
 */
export function issueApiKeyToken(): IssuedApiKeyToken {
  const token = `stw_${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, 12), hash: hashApiKeyToken(token) };
}

/** Runs on every authenticated request: the one-shot hash costs a third of a Hash object. */
export function hashApiKeyToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function looksLikeApiKeyToken(value: string): boolean {
  return KEY_PATTERN.test(value);
}
