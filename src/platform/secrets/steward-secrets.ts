import type { SecretsDatabase } from './store/secrets-database.ts';
import type { Logger } from '../../kernel/logging/logger.ts';
import { masterKeyRingFor, type OpenedDatabase } from './default-master-key.ts';
import { loadMasterKeyRing } from './master-key-ring.ts';
import { createSecretResolver } from './secret-resolver.ts';
import { createSecretStore, type SecretStore } from './secret-store.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/** The secrets service domains receive: the encrypted store and the resolver of references. */
export interface StewardSecrets {
  store: SecretStore;
  /** Resolves `env:`, `file:` or `secret:` references in the given tenant, at the moment of use. */
  resolve(reference: string, tenantId: string): Promise<string>;
}

/**
 * Reads the master key ring once (a malformed key stops the start-up): from the environment, or,
 * given the database settings, the embedded database's generated key (default-master-key.ts).
 */
export function createStewardSecrets(
  db: DbHandle<SecretsDatabase>,
  env: NodeJS.ProcessEnv = process.env,
  defaults?: { database: OpenedDatabase; logger?: Logger },
): StewardSecrets {
  const ring = defaults ? masterKeyRingFor(defaults.database, defaults.logger, env) : loadMasterKeyRing(env);
  const store = createSecretStore(db, ring);
  const resolver = createSecretResolver(store, env);
  return { store, resolve: (reference, tenantId) => resolver.resolve(reference, tenantId) };
}
