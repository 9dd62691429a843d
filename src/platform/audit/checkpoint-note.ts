import { sign, verify } from 'node:crypto';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { type CheckpointSigner, signedNoteKeyId } from './audit-keys.ts';
import type { VerifierKey } from './verifier-key.ts';

/** A tree head as a C2SP tlog-checkpoint body states it. */
export interface CheckpointBody {
  origin: string;
  treeSize: bigint;
  rootHash: Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  signature: Uint8Array;
}

/** A parsed signed note whose signatures have not been checked yet. */
export interface ParsedCheckpoint extends CheckpointBody {
  /** The signed text, ending in a newline (c2sp.org/signed-note). */
  text: string;
  signatures: NoteSignature[];
}

const EM_DASH_PREFIX = '\u2014 ';
const NAME = /^[^\s+]+$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** c2sp.org/tlog-checkpoint: origin, decimal size and base64 root, one per line. */
export function checkpointText(body: CheckpointBody): string {
  return `${body.origin}\n${body.treeSize}\n${Buffer.from(body.rootHash).toString('base64')}\n`;
}

/** The signed note: text, blank line, `— <name> <base64(key id ‖ Ed25519 signature)>`. */
export function signCheckpoint(body: CheckpointBody, signer: CheckpointSigner): string {
  const text = checkpointText(body);
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  const blob = Buffer.concat([signer.keyId, signature]).toString('base64');
  return `${text}\n${EM_DASH_PREFIX}${signer.name} ${blob}\n`;
}

/** Parses a signed checkpoint note; throws InvalidInput saying what is malformed. */
export function parseCheckpoint(note: string): ParsedCheckpoint {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    throw malformed(
      'it needs the checkpoint text, a blank line and signature lines, each ending in a newline',
    );
  const text = note.slice(0, split + 1);
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root] = lines;
  if (!origin || !size || !root || lines.some((line) => line === ''))
    throw malformed('the text must have an origin, a tree size and a root hash line');
  if (!DECIMAL.test(size)) throw malformed(`tree size "${size}" is not a decimal number`);
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root)
    throw malformed('the root hash is not 32 bytes of standard base64');
  const signatures = note
    .slice(split + 2, -1)
    .split('\n')
    .map(parseSignatureLine);
  if (signatures.length === 0) throw malformed('it carries no signature');
  return { origin, treeSize: BigInt(size), rootHash, text, signatures };
}

/**
 * Whether the note carries a valid signature by the pinned key. Lines from other keys are ignored,
 * as c2sp.org/signed-note requires; a line that claims the pinned key but does not verify rejects.
 */
export function hasValidSignature(checkpoint: ParsedCheckpoint, key: VerifierKey): boolean {
  const text = Buffer.from(checkpoint.text, 'utf8');
  const mine = checkpoint.signatures.filter(
    (s) =>
      (key.name === undefined || s.name === key.name) &&
      Buffer.from(s.keyId).equals(signedNoteKeyId(s.name, key.publicKey)),
  );
  return mine.length > 0 && mine.every((s) => verify(null, text, key.publicKey, s.signature));
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(EM_DASH_PREFIX))
    throw malformed('a signature line must start with an em dash and a space');
  const [name, blob, ...rest] = line.slice(EM_DASH_PREFIX.length).split(' ');
  if (!name || !NAME.test(name) || !blob || rest.length > 0)
    throw malformed(`signature line "${line}" is not "— <name> <base64>"`);
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length < 5 || bytes.toString('base64') !== blob)
    throw malformed(`the signature of ${name} is not base64 of a key id and a signature`);
  return { name, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
}

function malformed(reason: string): InvalidInput {
  return new InvalidInput(
    'audit.checkpoint_malformed',
    `The checkpoint is not a C2SP signed note: ${reason}.`,
  );
}
