import { readFileSync } from 'node:fs';
import { InvalidInput, Unavailable } from '../../kernel/errors/domain-error.ts';

/** One version of the master key that wraps data keys. */
export interface MasterKey {
  version: number;
  key: Buffer;
}

/** Every master key version this process knows; new data keys are wrapped with the newest. */
export interface MasterKeyRing {
  newest: MasterKey;
  byVersion(version: number): MasterKey;
  versions: number[];
}

const HELP =
  'Set STEWARD_MASTER_KEY (or STEWARD_MASTER_KEY_FILE) to 32 random bytes in base64, e.g. `openssl rand -base64 32`; ' +
  'to rotate, list versions as "2:<base64>,1:<base64>" and run `steward secrets rotate`.';

/**
 * Reads the master key from STEWARD_MASTER_KEY or the file STEWARD_MASTER_KEY_FILE. The value is a
 * base64 key (version 1) or a list `VERSION:BASE64` separated by commas or new lines, so an operator
 * can add a new version, rotate, then drop the old one. Returns undefined when neither is set.
 */
export function loadMasterKeyRing(env: NodeJS.ProcessEnv = process.env): MasterKeyRing | undefined {
  const file = env.STEWARD_MASTER_KEY_FILE;
  const inline = env.STEWARD_MASTER_KEY;
  if (!file && !inline) return undefined;
  let text = inline ?? '';
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Unavailable(
        'secrets.master_key_unreadable',
        `Cannot read STEWARD_MASTER_KEY_FILE ${file} (${(error as NodeJS.ErrnoException).code}). ${HELP}`,
      );
    }
  }
  return parseMasterKeyRing(text);
}

export function parseMasterKeyRing(text: string): MasterKeyRing {
  const entries = text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
  if (entries.length === 0)
    throw new InvalidInput('secrets.master_key_empty', `The master key is empty. ${HELP}`);
  const keys = new Map<number, MasterKey>();
  for (const entry of entries) {
    const match = /^(?:(\d{1,6}):)?([A-Za-z0-9+/=_-]+)$/.exec(entry);
    const version = Number(match?.[1] ?? (entries.length === 1 ? '1' : 'NaN'));
    const key = match?.[2] ? Buffer.from(match[2], 'base64') : Buffer.alloc(0);
    if (!match || !Number.isInteger(version) || version < 1) {
      throw new InvalidInput(
        'secrets.master_key_malformed',
        `A master key entry is not "VERSION:BASE64" (versions are needed when there are several). ${HELP}`,
      );
    }
    if (key.length !== 32) {
      throw new InvalidInput(
        'secrets.master_key_length',
        `Master key version ${version} is ${key.length} bytes; AES-256 needs exactly 32. ${HELP}`,
      );
    }
    if (keys.has(version))
      throw new InvalidInput(
        'secrets.master_key_duplicate',
        `Master key version ${version} is listed twice.`,
      );
    keys.set(version, { version, key });
  }
  const versions = [...keys.keys()].sort((a, b) => a - b);
  const newest = keys.get(versions[versions.length - 1] as number) as MasterKey;
  return {
    newest,
    versions,
    byVersion(version) {
      const found = keys.get(version);
      if (!found) {
        throw new Unavailable(
          'secrets.master_key_version_missing',
          `A secret is wrapped with master key version ${version}, which is not configured. Add it back to STEWARD_MASTER_KEY. ${HELP}`,
          { version },
        );
      }
      return found;
    },
  };
}
