import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../../kernel/logging/logger.ts';
import { loadMasterKeyRing, parseMasterKeyRing, type MasterKeyRing } from './master-key-ring.ts';

/** The file the embedded database's generated master key is kept in, inside its data directory. */
export const GENERATED_MASTER_KEY_FILE = 'master.key';

/** What the default depends on: the database Steward opened (a StewardDatabase). */
export interface OpenedDatabase {
  kind: 'pglite' | 'postgres';
  /** PGlite's directory; undefined in memory. */
  pglite?: { readonly dataDir?: string } | undefined;
}

/**
 * The master key ring of this installation. STEWARD_MASTER_KEY or STEWARD_MASTER_KEY_FILE when
 * set. Otherwise, so the embedded default works out of the box, a random key generated on first
 * start in the embedded database's directory (`master.key`, mode 0600), or for an in-memory
 * database one for the life of that database; a warning says production should provide its own,
 * kept apart from the database. On PostgreSQL nothing is generated (replicas could not share a
 * file): undefined, and the store refuses to seal or open secrets, saying how to set the key.
 */
export function masterKeyRingFor(
  database: OpenedDatabase,
  logger: Logger | undefined,
  env: NodeJS.ProcessEnv = process.env,
): MasterKeyRing | undefined {
  const configured = loadMasterKeyRing(env);
  if (configured || database.kind === 'postgres') return configured;
  const dataDir = database.pglite?.dataDir;
  if (!dataDir || dataDir.startsWith('memory://')) return inMemoryKey(database);
  const file = join(resolve(dataDir), GENERATED_MASTER_KEY_FILE);
  const created = createKeyFileOnce(file);
  if (!warned.has(file)) {
    warned.add(file);
    logger?.warn(
      { file, created },
      'STEWARD_MASTER_KEY is not set: secrets are sealed with a key generated in the data directory. In production provide your own (STEWARD_MASTER_KEY or STEWARD_MASTER_KEY_FILE), kept apart from the database and its backups.',
    );
  }
  return parseMasterKeyRing(readFileSync(file, 'utf8'));
}

const memoryKeys = new WeakMap<object, MasterKeyRing>();

function inMemoryKey(database: OpenedDatabase): MasterKeyRing {
  const owner = database.pglite ?? database;
  let ring = memoryKeys.get(owner);
  if (!ring) {
    ring = parseMasterKeyRing(randomBytes(32).toString('base64'));
    memoryKeys.set(owner, ring);
  }
  return ring;
}

const warned = new Set<string>();

/** True when this call created it; 'wx' makes a concurrent first start keep the other's key. */
function createKeyFileOnce(file: string): boolean {
  mkdirSync(resolve(file, '..'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}
