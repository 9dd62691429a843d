import { resolveSecretReference } from './secret-reference.ts';
import type { SecretStore } from './secret-store.ts';

/** Resolves any secret reference at the moment of use, in the tenant that uses it. */
export interface SecretResolver {
  resolve(reference: string, tenantId: string): Promise<string>;
}

export function createSecretResolver(
  store: SecretStore,
  env: NodeJS.ProcessEnv = process.env,
): SecretResolver {
  return {
    async resolve(reference, tenantId) {
      if (reference.startsWith('secret:')) return store.reveal(tenantId, reference.slice('secret:'.length));
      return resolveSecretReference(reference, env);
    },
  };
}
