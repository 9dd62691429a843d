import { readFileSync } from 'node:fs';
import { InvalidInput, NotFound } from '../../kernel/errors/domain-error.ts';

/**
 * Credentials in the data map and config are references, never values: `env:NAME`, `file:PATH` or
 * `secret:NAME` (Steward's encrypted store, resolved per tenant by `createSecretResolver`).
 * They are resolved at the moment of use so that rotating a secret needs no restart of the data map.
 * This synchronous form serves env: and file:, which need no database.
 */
export function resolveSecretReference(reference: string, env: NodeJS.ProcessEnv = process.env): string {
  const [scheme, ...rest] = reference.split(':');
  const target = rest.join(':');
  if (scheme === 'env') {
    const value = env[target];
    if (value === undefined || value === '') {
      throw new NotFound(
        'secrets.env_missing',
        `Secret reference ${reference}: environment variable ${target} is not set. Set it in Steward's environment.`,
        { reference },
      );
    }
    return value;
  }
  if (scheme === 'file') {
    try {
      return readFileSync(target, 'utf8').trim();
    } catch (error) {
      throw new NotFound(
        'secrets.file_unreadable',
        `Secret reference ${reference}: cannot read ${target} (${(error as NodeJS.ErrnoException).code}). Check the path and permissions.`,
        { reference },
      );
    }
  }
  if (scheme === 'secret') {
    throw new InvalidInput(
      'secrets.needs_store',
      `Secret reference ${reference} names a stored secret, which needs its tenant: resolve it with createSecretResolver (src/secrets/secret-resolver.ts).`,
      { reference },
    );
  }
  throw new InvalidInput(
    'secrets.bad_reference',
    `"${reference}" is not a secret reference. Write env:NAME, file:/path/to/secret or secret:NAME.`,
    { reference },
  );
}

export function isSecretReference(value: string): boolean {
  return /^(env|file|secret):.+/.test(value);
}
