import { createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { ed25519PublicKeyFromRaw, signedNoteKeyId } from './audit-keys.ts';

/** The public half of the checkpoint key as an auditor pins it. */
export interface VerifierKey {
  /** Key name from a C2SP verifier key; absent for a bare PEM key, which then matches any name. */
  name: string | undefined;
  publicKey: KeyObject;
}

/**
 * Reads `<name>+<hex key id>+<base64(0x01 ‖ key)>` (c2sp.org/signed-note verifier key, what
 * `steward audit public-key` prints) or an Ed25519 public key in PEM.
 */
export function parseVerifierKey(text: string): VerifierKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(trimmed);
    } catch {
      throw badKey('the PEM block is not a public key');
    }
    if (publicKey.asymmetricKeyType !== 'ed25519')
      throw badKey(`it is a ${publicKey.asymmetricKeyType} key, not Ed25519`);
    return { name: undefined, publicKey };
  }
  // Names contain no '+', key ids are 8 hex digits; the base64 key after them may contain '+'.
  const match = /^([^+\s]+)\+([0-9a-fA-F]{8})\+([A-Za-z0-9+/=]+)$/.exec(trimmed);
  if (!match) throw badKey('expected <name>+<key id>+<base64 key> or a PEM public key');
  const [, name, keyIdHex, material] = match as unknown as [string, string, string, string];
  const bytes = Buffer.from(material, 'base64');
  if (bytes.length !== 33 || bytes[0] !== 0x01)
    throw badKey('the key material is not an Ed25519 key (type 0x01 and 32 bytes)');
  const publicKey = ed25519PublicKeyFromRaw(bytes.subarray(1));
  if (Buffer.from(signedNoteKeyId(name, publicKey)).toString('hex') !== keyIdHex.toLowerCase())
    throw badKey('its key id does not match its name and key');
  return { name, publicKey };
}

function badKey(reason: string): InvalidInput {
  return new InvalidInput(
    'audit.bad_verifier_key',
    `The public key is not usable: ${reason}. Use the output of \`steward audit public-key\`.`,
  );
}
