import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import { resolveSecretReference } from '../../../../platform/secrets/secret-reference.ts';
import type { DsrConfig } from '../../config-schema.ts';

/**
 * The keys of the DSR domain, all derived (HKDF-SHA256) from one secret so that one value is backed
 * up and rotated: lookups use keyed hashes (a leaked database alone does not reveal who asked),
 * stored identities and packages are AES-256-GCM encrypted.
 */
export interface DsrKeyring {
  /** HMAC-SHA256 of a normalised value under the lookup key, scoped by tenant and identity name. */
  lookupHash(tenantId: string, name: string, normalisedValue: string): string;
  /** AES-256-GCM, bound to `context` (e.g. the request id) as additional authenticated data. */
  encryptText(plaintext: string, context: string): string;
  decryptText(ciphertext: string, context: string): string;
  /** The 32-byte key access packages and staging files are encrypted with. */
  readonly fileKey: Buffer;
}

const MIN_SECRET_LENGTH = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const cache = new Map<string, DsrKeyring>();

/** The keyring for this configuration: from `dsr.keyRef`, else a key generated once in `dsr.dataDir/dsr.key`. */
export function dsrKeyring(config: DsrConfig): DsrKeyring {
  const cacheKey = config.keyRef ?? `file:${resolve(config.dataDir, 'dsr.key')}`;
  let keyring = cache.get(cacheKey);
  if (!keyring) {
    keyring = keyringFromSecret(
      config.keyRef ? resolveSecretReference(config.keyRef) : generatedKey(config.dataDir),
    );
    cache.set(cacheKey, keyring);
  }
  return keyring;
}

export function keyringFromSecret(secret: string): DsrKeyring {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new InvalidInput(
      'dsr.key_too_short',
      `The DSR key (dsr.keyRef) must be at least ${MIN_SECRET_LENGTH} characters; generate one with: openssl rand -base64 32`,
    );
  }
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'steward-dsr', purpose, 32));
  const lookupKey = derive('lookup-hash');
  const textKey = derive('text-encryption');
  const fileKey = derive('file-encryption');
  return {
    fileKey,
    lookupHash(tenantId, name, normalisedValue) {
      return createHmac('sha256', lookupKey)
        .update(`${tenantId}\u0000${name}\u0000${normalisedValue}`)
        .digest('base64url');
    },
    encryptText(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', textKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    decryptText(ciphertext, context) {
      const raw = Buffer.from(ciphertext.replace(/^v1\./, ''), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', textKey, raw.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

/** SHA-256 of a high-entropy token (download links): no key needed, a 256-bit token cannot be guessed. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function generatedKey(dataDir: string): string {
  const file = join(resolve(dataDir), 'dsr.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(resolve(dataDir), { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if another process created it meanwhile; then its key wins.
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
