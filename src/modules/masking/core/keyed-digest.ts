import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { createHmacSha256 } from './hmac-sha256.ts';

/** HMAC-SHA256 of a value under the masking key, separated by purpose (`email`, `phone`, …). */
export type KeyedDigest = (purpose: string, value: string) => Buffer;

/** At least 128 bits: the key is what makes masking irreversible (issue 18 item 5, GDPR Recital 26). */
export const MIN_MASKING_KEY_BYTES = 16;

/**
 * The one keyed function every transformer derives its output from: HMAC-SHA256 (RFC 2104) of
 * `purpose NUL value`. The purpose (the transformer's name, never the column's) keeps outputs of
 * different transformers unrelated while the same value masked by the same transformer gives the
 * same output in every table, run and database — so joins on masked values still join. Without
 * the key nobody can recompute it from a guessed input, unlike a plain hash. Computed from the
 * key's precomputed pad states (hmac-sha256.ts): the same bytes as `createHmac`, several times faster.
 */
export function createKeyedDigest(key: Buffer): KeyedDigest {
  if (key.length < MIN_MASKING_KEY_BYTES) {
    throw new InvalidInput(
      'masking.key_too_short',
      `The masking key has ${key.length} bytes; it needs at least ${MIN_MASKING_KEY_BYTES}. Store a random key as a Steward secret, e.g. \`openssl rand -base64 32\`.`,
      { bytes: key.length },
    );
  }
  return createHmacSha256(key);
}

/** A fingerprint of the key that reveals nothing about it: a resumed run must use the same key. */
export function maskingKeyFingerprint(key: Buffer): string {
  return createKeyedDigest(key)('steward.masking.fingerprint', '').subarray(0, 8).toString('hex');
}
