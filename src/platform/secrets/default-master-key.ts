import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../../kernel/logging/logger.ts';
import { loadMasterKeyRing, parseMasterKeyRing, type MasterKeyRing } from './master-key-ring.ts';

/** The file the embedded server's generated master key is kept in, beside (not inside) its data directory. */
export const GENERATED_MASTER_KEY_FILE = 'master.key';

/** What the default depends on: the database Steward opened (a StewardDatabase). */
export interface OpenedDatabase {
  /** Set when Steward runs its own embedded PostgreSQL server. */
  embedded?: { readonly dataDir: string } | undefined;
}

/**
 * The master key ring of this installation. STEWARD_MASTER_KEY or STEWARD_MASTER_KEY_FILE when
 * set. Otherwise, so the embedded default works out of the box, a random key generated on first
 * start beside the embedded server's data directory (`master.key`, mode 0600, outside the cluster so
 * that a copy of the cluster does not carry it); a note says production should provide its own. On
 * a configured PostgreSQL nothing is generated (replicas could not share a file): undefined, and the
 * store refuses to seal or open secrets, saying how to set the key.
 */
export function masterKeyRingFor(
  database: OpenedDatabase,
  logger: Logger | undefined,
  env: NodeJS.ProcessEnv = process.env,
): MasterKeyRing | undefined {
  const configured = loadMasterKeyRing(env);
  if (configured || !database.embedded) return configured;
  const file = join(dirname(resolve(database.embedded.dataDir)), GENERATED_MASTER_KEY_FILE);
  const created = createKeyFileOnce(file);
  if (!warned.has(file)) {
    warned.add(file);
    // A note, not a warning: right for trying Steward; production sets its own key.
    logger?.info(
      { file, created },
      'note: secrets are sealed with a master key generated beside the embedded database; in production provide your own (STEWARD_MASTER_KEY or STEWARD_MASTER_KEY_FILE), kept apart from the database and its backups',
    );
  }
  return parseMasterKeyRing(readFileSync(file, 'utf8'));
}

const warned = new Set<string>();

/** Writes 32 random bytes (base64) to `file` unless it exists (0600); true when this call created it. 'wx' makes a concurrent first start keep the other's key. */
export function createKeyFileOnce(file: string): boolean {
  mkdirSync(resolve(file, '..'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}
