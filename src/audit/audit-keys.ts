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
import { InvalidInput } from '../errors/domain-error.ts';
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

/** Reads the checkpoint signing key from outside the database (creating it first if allowed). */
export function loadCheckpointSigner(config: AuditConfig): CheckpointSigner {
  createKeyFileIfAllowed(config, config.signingKeyRef, () =>
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  const pem = resolveSecretReference(config.signingKeyRef);
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
  createKeyFileIfAllowed(config, config.pseudonymKeyRef, () => randomBytes(32).toString('base64url'));
  const value = resolveSecretReference(config.pseudonymKeyRef);
  if (value.length < MIN_PSEUDONYM_KEY_LENGTH) {
    throw new InvalidInput(
      'audit.weak_pseudonym_key',
      `audit.pseudonymKeyRef must resolve to at least ${MIN_PSEUDONYM_KEY_LENGTH} characters of random text; generate one with \`steward audit keygen\`.`,
    );
  }
  return new TextEncoder().encode(value);
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

function createKeyFileIfAllowed(config: AuditConfig, reference: string, generate: () => string): void {
  if (!config.createMissingKeys || !reference.startsWith('file:')) return;
  const path = reference.slice('file:'.length);
  if (existsSync(path)) return;
  try {
    createKeyFile(path, generate());
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
