import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { loadMasterKeyRing } from './master-key-ring.ts';
import { createSecretResolver } from './secret-resolver.ts';
import { createSecretStore, type SecretStore } from './secret-store.ts';

/** The secrets service domains receive: the encrypted store and the resolver of references. */
export interface StewardSecrets {
  store: SecretStore;
  /** Resolves `env:`, `file:` or `secret:` references in the given tenant, at the moment of use. */
  resolve(reference: string, tenantId: string): Promise<string>;
}

/** Reads the master key ring from the environment once; a malformed key stops the start-up. */
export function createStewardSecrets(
  db: Kysely<Database>,
  env: NodeJS.ProcessEnv = process.env,
): StewardSecrets {
  const store = createSecretStore(db, loadMasterKeyRing(env));
  const resolver = createSecretResolver(store, env);
  return { store, resolve: (reference, tenantId) => resolver.resolve(reference, tenantId) };
}
