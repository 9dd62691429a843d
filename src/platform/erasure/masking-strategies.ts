import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
} from 'node:crypto';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { resolveSecretReference } from '../secrets/secret-reference.ts';
import type { FieldMask } from './field-mask.ts';
import type { GeneraliseStrategy } from '../datamap/datamap-types.ts';

/** Replaces one value; `undefined` means "leave it": null already, or masked by an earlier run. */
export type Masker = (value: unknown) => unknown;

const ENCRYPTED_PREFIX = 'enc:v1:';

/**
 * Resolves a key reference. The default reads env: and file: references; `secret:` references
 * (keys Steward holds and rotates) are resolved beforehand by the caller, which has the tenant,
 * with `resolveMaskKeys`.
 */
export type KeyResolver = (reference: string) => string;

/** The key references of some masks, resolved now (async: `secret:` needs Steward's store). */
export async function resolveMaskKeys(
  masks: readonly FieldMask[],
  resolve: (reference: string) => Promise<string>,
): Promise<KeyResolver> {
  const keys = new Map<string, string>();
  for (const mask of masks) {
    const strategy = mask.strategy;
    if (
      (strategy.strategy === 'hmac' || strategy.strategy === 'deterministic_encryption') &&
      !keys.has(strategy.key)
    )
      keys.set(strategy.key, await resolve(strategy.key));
  }
  return (reference) => keys.get(reference) ?? resolveSecretReference(reference);
}

/**
 * The function that masks one field. Keys (HMAC, encryption) are resolved from their secret
 * references now, once per erasure, and never leave this closure.
 *
 * Every masker is idempotent so that re-running an erasure after a crash does no harm: a value
 * that already has the shape of the strategy's output (hex of the right length, an `enc:v1:` value
 * that decrypts with the key, the fixed value, NULL) is left as it is. Random values are simply
 * drawn again, which changes nothing that matters.
 */
export function createMasker(mask: FieldMask, resolveKey: KeyResolver = resolveSecretReference): Masker {
  const strategy = mask.strategy;
  switch (strategy.strategy) {
    case 'null':
      return (value) => (value === null || value === undefined ? undefined : null);
    case 'fixed_value':
      return (value) =>
        value === null || value === undefined || String(value) === String(strategy.value)
          ? undefined
          : strategy.value;
    case 'random':
      return (value) =>
        value === null || value === undefined ? undefined : randomValue(mask, strategy.length);
    case 'hash':
    case 'pseudonymise':
      return hexDigest(
        mask,
        (text) => createHash(strategy.algorithm).update(text, 'utf8').digest('hex'),
        strategy.algorithm,
      );
    case 'hmac': {
      const key = resolveKey(strategy.key);
      return hexDigest(
        mask,
        (text) => createHmac(strategy.algorithm, key).update(text, 'utf8').digest('hex'),
        strategy.algorithm,
      );
    }
    case 'deterministic_encryption':
      return deterministicEncryption(mask, resolveKey(strategy.key));
    case 'generalise':
      return generaliser(mask, strategy);
  }
}

/**
 * A coarser value of the column's kind; `undefined` when the value is already as coarse (so a
 * second run changes nothing). Dates keep their written form (`1968-09-18` → `1968-01-01`).
 */
function generaliser(mask: FieldMask, strategy: GeneraliseStrategy): Masker {
  const step = strategy.step ?? 10;
  const keep = strategy.keepCharacters ?? 0;
  const unchanged = (before: unknown, after: unknown) =>
    valueText(before) === valueText(after) ? undefined : after;
  return (value) => {
    if (value === null || value === undefined) return undefined;
    const family = mask.family;
    if (family === 'date' || family === 'timestamp' || value instanceof Date) {
      const date = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(date.getTime())) return undefined;
      const month = strategy.dateTo === 'month' ? date.getUTCMonth() : 0;
      const coarse = new Date(Date.UTC(date.getUTCFullYear(), month, 1));
      const result =
        typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
          ? coarse.toISOString().slice(0, 10)
          : coarse;
      return unchanged(value, result);
    }
    if (family === 'integer' || family === 'decimal' || family === 'float' || typeof value === 'number') {
      const number = Number(value);
      if (!Number.isFinite(number)) return undefined;
      const coarse = Math.floor(number / step) * step;
      return coarse === number ? undefined : coarse;
    }
    return unchanged(value, String(value).slice(0, keep));
  };
}

/** The text a value is hashed or encrypted as: dates in ISO form, objects (JSON columns) as JSON. */
export function valueText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function hexDigest(
  mask: FieldMask,
  digest: (text: string) => string,
  algorithm: 'sha256' | 'sha512',
): Masker {
  // SHA-256 hex is 64 characters; a shorter column gets the prefix, which still links equal inputs.
  const length = Math.min(algorithm === 'sha256' ? 64 : 128, mask.maxLength ?? Infinity);
  const shape = new RegExp(`^[0-9a-f]{${length}}$`);
  return (value) => {
    if (value === null || value === undefined) return undefined;
    const text = valueText(value);
    if (shape.test(text)) return undefined;
    return digest(text).slice(0, length);
  };
}

function randomValue(mask: FieldMask, length: number | undefined): unknown {
  if (mask.family === 'integer') return randomInt(0, 2 ** 31 - 1);
  if (mask.family === 'decimal' || mask.family === 'float') return randomInt(0, 1_000_000) / 100;
  const size = Math.max(1, Math.min(length ?? 16, mask.maxLength ?? Infinity));
  return randomBytes(Math.ceil(size / 2))
    .toString('hex')
    .slice(0, size);
}

/**
 * AES-256-GCM with a synthetic IV: the IV is an HMAC of the plaintext under a second derived key,
 * so equal values encrypt equally (joins and look-ups by the masked value still work) while the
 * key holder can decrypt, e.g. to answer a court order. Both keys are derived from the secret with
 * HKDF, so one secret reference configures the strategy.
 */
function deterministicEncryption(mask: FieldMask, secret: string): Masker {
  const encryptionKey = Buffer.from(
    hkdfSync('sha256', secret, 'steward', 'deterministic-encryption/aes-256-gcm', 32),
  );
  const ivKey = Buffer.from(hkdfSync('sha256', secret, 'steward', 'deterministic-encryption/iv', 32));
  const decrypts = (text: string): boolean => {
    try {
      const raw = Buffer.from(text.slice(ENCRYPTED_PREFIX.length), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      decipher.update(raw.subarray(28));
      decipher.final();
      return true;
    } catch {
      return false;
    }
  };
  return (value) => {
    if (value === null || value === undefined) return undefined;
    const text = valueText(value);
    if (text.startsWith(ENCRYPTED_PREFIX) && decrypts(text)) return undefined;
    const iv = createHmac('sha256', ivKey).update(text, 'utf8').digest().subarray(0, 12);
    const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    const result = ENCRYPTED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    if (mask.maxLength !== undefined && result.length > mask.maxLength) {
      throw new InvalidInput(
        'dsr.mask_too_long',
        `Field ${mask.field}: the encrypted value needs ${result.length} characters but the column holds ${mask.maxLength}. Widen the column or choose hash or hmac.`,
        { field: mask.field },
      );
    }
    return result;
  };
}

/** Decrypts a value written by the deterministic_encryption strategy (for the key holder). */
export function decryptDeterministic(secret: string, value: string): string {
  const encryptionKey = Buffer.from(
    hkdfSync('sha256', secret, 'steward', 'deterministic-encryption/aes-256-gcm', 32),
  );
  const raw = Buffer.from(value.slice(ENCRYPTED_PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
