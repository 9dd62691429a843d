import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Unavailable } from '../../kernel/errors/domain-error.ts';
import type { MasterKey, MasterKeyRing } from './master-key-ring.ts';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What is stored for one secret: its value sealed under a data key, and that key sealed under a master key. */
export interface SealedSecret {
  /** iv ‖ ciphertext ‖ tag of the value under the data key. */
  ciphertext: Buffer;
  /** iv ‖ ciphertext ‖ tag of the data key under the master key. */
  wrappedKey: Buffer;
  masterKeyVersion: number;
}

/** Binds a sealed value to its tenant and name: a row copied to another tenant or name fails to open. */
export interface SecretBinding {
  tenantId: string;
  name: string;
}

/**
 * Envelope encryption: a fresh random 256-bit data key per secret value encrypts it with AES-256-GCM,
 * and the master key wraps that data key. Rotating the master key then only re-wraps 32-byte keys.
 */
export function sealSecret(plaintext: string, binding: SecretBinding, masterKey: MasterKey): SealedSecret {
  const dataKey = randomBytes(32);
  try {
    return {
      ciphertext: seal(dataKey, Buffer.from(plaintext, 'utf8'), aadOf(binding, 'value')),
      wrappedKey: seal(masterKey.key, dataKey, aadOf(binding, `data-key:${masterKey.version}`)),
      masterKeyVersion: masterKey.version,
    };
  } finally {
    dataKey.fill(0);
  }
}

export function openSecret(sealed: SealedSecret, binding: SecretBinding, ring: MasterKeyRing): string {
  const dataKey = unwrapDataKey(sealed, binding, ring);
  try {
    return open(dataKey, sealed.ciphertext, aadOf(binding, 'value')).toString('utf8');
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key under another master key; the value's ciphertext stays as it is. */
export function rewrapSecret(
  sealed: SealedSecret,
  binding: SecretBinding,
  ring: MasterKeyRing,
  target: MasterKey,
): SealedSecret {
  const dataKey = unwrapDataKey(sealed, binding, ring);
  try {
    return {
      ciphertext: sealed.ciphertext,
      wrappedKey: seal(target.key, dataKey, aadOf(binding, `data-key:${target.version}`)),
      masterKeyVersion: target.version,
    };
  } finally {
    dataKey.fill(0);
  }
}

function unwrapDataKey(sealed: SealedSecret, binding: SecretBinding, ring: MasterKeyRing): Buffer {
  const masterKey = ring.byVersion(sealed.masterKeyVersion);
  return open(masterKey.key, sealed.wrappedKey, aadOf(binding, `data-key:${masterKey.version}`));
}

/** The associated data: length-prefixed parts, so no tenant/name pair can imitate another. */
function aadOf(binding: SecretBinding, purpose: string): Buffer {
  return Buffer.from(JSON.stringify(['steward-secret/1', binding.tenantId, binding.name, purpose]), 'utf8');
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw tampered();
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw tampered();
  }
}

function tampered(): Unavailable {
  return new Unavailable(
    'secrets.cannot_decrypt',
    'A stored secret does not decrypt: the master key of its version differs from the one that sealed it, or the row was altered. Check STEWARD_MASTER_KEY.',
  );
}
