import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PlatformConfig } from '../platform-services.ts';
import { DomainError, InvalidInput } from '../../kernel/errors/domain-error.ts';
import { resolveSecretReference } from '../secrets/secret-reference.ts';
import type { AuditConfig } from './audit-config-schema.ts';

/** The Ed25519 key that signs checkpoints, with its C2SP signed-note identity. */
export interface CheckpointSigner {
  /** Key name in signature lines (c2sp.org/signed-note): the log's origin prefix. */
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4] (c2sp.org/signed-note, Ed25519). */
  keyId: Uint8Array;
}

const ED25519_SIGNATURE_TYPE = 0x01;
const MIN_PSEUDONYM_KEY_LENGTH = 32;

/**
 * The audit section with `createMissingKeys` decided for this deployment: as configured, else only
 * on the embedded database, which one process owns. On PostgreSQL several processes share each log;
 * a key each made for itself would give one person different pseudonyms and the log several signers.
 */
export function auditConfigFor(config: Pick<PlatformConfig, 'audit' | 'database'>): AuditConfig {
  return {
    ...config.audit,
    createMissingKeys: config.audit.createMissingKeys ?? config.database.url === undefined,
  };
}

/**
 * Start-up check of `serve` and `worker`: both audit keys are readable, created first only where
 * `auditConfigFor` allows. Refuses with the config keys to set rather than let the first
 * checkpoint job fail a minute later.
 */
export function checkAuditKeys(config: Pick<PlatformConfig, 'audit' | 'database'>): void {
  const audit = auditConfigFor(config);
  loadCheckpointSigner(audit);
  loadPseudonymKey(audit);
}

/** Reads the checkpoint signing key from outside the database (creating it first if allowed). */
export function loadCheckpointSigner(config: AuditConfig): CheckpointSigner {
  const pem = readAuditKey(config, 'signingKeyRef', generateSigningKey);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new InvalidInput(
      'audit.bad_signing_key',
      `audit.signingKeyRef (${config.signingKeyRef}) is not a PEM private key. Generate one with \`steward audit keygen\`.`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new InvalidInput(
      'audit.bad_signing_key',
      `audit.signingKeyRef holds a ${privateKey.asymmetricKeyType} key; checkpoints are signed with Ed25519. Generate one with \`steward audit keygen\`.`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const name = config.origin;
  return { name, privateKey, publicKey, keyId: signedNoteKeyId(name, publicKey) };
}

/** The HMAC key for subject pseudonyms, from outside the database (created first if allowed). */
export function loadPseudonymKey(config: AuditConfig): Uint8Array {
  const value = readAuditKey(config, 'pseudonymKeyRef', generatePseudonymKey);
  if (value.length < MIN_PSEUDONYM_KEY_LENGTH) {
    throw new InvalidInput(
      'audit.weak_pseudonym_key',
      `audit.pseudonymKeyRef must resolve to at least ${MIN_PSEUDONYM_KEY_LENGTH} characters of random text; generate one with \`steward audit keygen\`.`,
    );
  }
  return new TextEncoder().encode(value);
}

/** A new Ed25519 signing key as PKCS#8 PEM. */
export function generateSigningKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** 32 random bytes as base64url text (43 characters). */
export function generatePseudonymKey(): string {
  return randomBytes(32).toString('base64url');
}

/** Raw 32-byte Ed25519 public key. */
export function rawEd25519PublicKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}

export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

export function signedNoteKeyId(name: string, publicKey: KeyObject): Uint8Array {
  return createHash('sha256')
    .update(name)
    .update(Uint8Array.of(0x0a, ED25519_SIGNATURE_TYPE))
    .update(rawEd25519PublicKey(publicKey))
    .digest()
    .subarray(0, 4);
}

/** The verifier key text others pin: `<name>+<hex key id>+<base64(0x01 ‖ public key)>` (c2sp.org/signed-note). */
export function verifierKeyText(name: string, publicKey: KeyObject): string {
  const keyId = Buffer.from(signedNoteKeyId(name, publicKey)).toString('hex');
  const material = Buffer.concat([
    Uint8Array.of(ED25519_SIGNATURE_TYPE),
    rawEd25519PublicKey(publicKey),
  ]).toString('base64');
  return `${name}+${keyId}+${material}`;
}

/** Writes a new key to a `file:` reference that does not exist yet; never overwrites. */
export function createKeyFile(path: string, contents: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, contents, { mode: 0o600, flag: 'wx' });
}

type AuditKeyName = 'signingKeyRef' | 'pseudonymKeyRef';

/** The key a reference points to; a missing `file:` key is created first when the config allows it. */
function readAuditKey(config: AuditConfig, name: AuditKeyName, generate: () => string): string {
  const reference = config[name];
  const path = reference.startsWith('file:') ? reference.slice('file:'.length) : undefined;
  if (path !== undefined && !existsSync(path)) {
    if (config.createMissingKeys !== true) throw keyMissing(name, reference);
    try {
      createKeyFile(path, generate());
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  try {
    return resolveSecretReference(reference);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'secrets.env_missing')
      throw keyMissing(name, reference);
    throw error;
  }
}

function keyMissing(name: AuditKeyName, reference: string): InvalidInput {
  return new InvalidInput(
    'audit.key_missing',
    `The audit key audit.${name} (${reference}) does not exist. Steward creates audit keys itself only with the embedded database or where audit.createMissingKeys is true: with PostgreSQL several processes share each audit log and must all use the same keys, or one person would get different pseudonyms. Generate the keys once with \`steward audit keygen --dir <folder>\`, give every process the same files, and set audit.signingKeyRef and audit.pseudonymKeyRef to them (file:/path or env:NAME); or, if every process runs from the same directory on one host, set audit.createMissingKeys: true.`,
    { key: `audit.${name}`, reference },
  );
}
