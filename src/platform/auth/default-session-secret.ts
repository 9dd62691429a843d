import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../../kernel/logging/logger.ts';
import { createKeyFileOnce, type OpenedDatabase } from '../secrets/default-master-key.ts';

/** The file the embedded server's generated session key is kept in, beside (not inside) its data directory. */
export const GENERATED_SESSION_SECRET_FILE = 'session.secret';

/**
 * The key that signs session cookies when `auth.sessionSecretRef` is not set. On the embedded
 * default, so that a restart does not sign everyone out, a random key generated on first start
 * beside the data directory (`session.secret`, 0600, next to `master.key`), with a note that
 * production sets its own. On a configured PostgreSQL nothing is generated (replicas could not share
 * a file): undefined, and the caller uses a key of the process and warns.
 */
export function generatedSessionSecret(database: OpenedDatabase, logger: Logger): string | undefined {
  if (!database.embedded) return undefined;
  const file = join(dirname(resolve(database.embedded.dataDir)), GENERATED_SESSION_SECRET_FILE);
  const created = createKeyFileOnce(file);
  logger.info(
    { file, created },
    'note: browser sessions are signed with a key generated beside the embedded database; in production set auth.sessionSecretRef (env: or file:), the same for every API process',
  );
  return readFileSync(file, 'utf8').trim();
}
