import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Conflict } from '../../../../kernel/errors/domain-error.ts';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;

/** scrypt cost: ~50 ms per hash, so a stolen table of 6-digit codes takes hours per code, not seconds. */
const SCRYPT = { N: 16_384, r: 8, p: 1 };
const KEY_BYTES = 32;
export const CODE_DIGITS = 6;

/** A uniformly random 6-digit code. */
export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

export async function hashCode(
  code: string,
  salt: Buffer = randomBytes(16),
): Promise<{ hash: string; salt: string }> {
  const hash = await scryptAsync(code, salt, KEY_BYTES, SCRYPT);
  return { hash: hash.toString('base64url'), salt: salt.toString('base64url') };
}

/** Constant-time comparison of a typed code with the stored hash; spaces and dashes are ignored. */
export async function codeMatches(typed: string, storedHash: string, salt: string): Promise<boolean> {
  const candidate = await scryptAsync(
    typed.replace(/[\s-]/g, ''),
    Buffer.from(salt, 'base64url'),
    KEY_BYTES,
    SCRYPT,
  );
  const stored = Buffer.from(storedHash, 'base64url');
  return stored.length === candidate.length && timingSafeEqual(stored, candidate);
}

/** A code was sent or asked for, but the request no longer waits for one (verified, closed…). */
export function notWaitingForCode(id: string, state: string): Conflict {
  return new Conflict(
    'dsr.not_verifying',
    `Request ${id} is ${state}, not waiting for a verification code.`,
    {
      requestId: id,
      state,
    },
  );
}
