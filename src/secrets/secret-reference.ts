import { readFileSync } from 'node:fs';
import { InvalidInput, NotFound } from '../errors/domain-error.ts';

/**
 * Credentials in the data map and config are references, never values: `env:NAME` or `file:PATH`.
 * They are resolved at the moment of use so that rotating a secret needs no restart of the data map.
 */
export function resolveSecretReference(reference: string, env: NodeJS.ProcessEnv = process.env): string {
  const [scheme, ...rest] = reference.split(':');
  const target = rest.join(':');
  if (scheme === 'env') {
    const value = env[target];
    if (value === undefined || value === '') {
      throw new NotFound('secrets.env_missing', `Secret reference ${reference}: environment variable ${target} is not set. Set it in Steward's environment.`, { reference });
    }
    return value;
  }
  if (scheme === 'file') {
    try {
      return readFileSync(target, 'utf8').trim();
    } catch (error) {
      throw new NotFound('secrets.file_unreadable', `Secret reference ${reference}: cannot read ${target} (${(error as NodeJS.ErrnoException).code}). Check the path and permissions.`, { reference });
    }
  }
  throw new InvalidInput('secrets.bad_reference', `"${reference}" is not a secret reference. Write env:NAME or file:/path/to/secret.`, { reference });
}

export function isSecretReference(value: string): boolean {
  return /^(env|file):.+/.test(value);
}
