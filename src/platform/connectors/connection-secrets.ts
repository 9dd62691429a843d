import type { SqlConnection, TlsOptions } from '../datamap/datamap-types.ts';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { isSecretReference, resolveSecretReference } from '../secrets/secret-reference.ts';

/** TLS settings in the shape both `pg` and `mysql2` accept as `ssl`, or undefined for plain TCP. */
export interface DriverTls {
  rejectUnauthorized: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * Resolves the TLS material of a connection at the moment it is needed (secret references are
 * never cached here, so a rotated certificate is picked up by the next pool).
 */
export function resolveTls(tls: TlsOptions | undefined): DriverTls | undefined {
  if (!tls || tls.mode === 'disable') return undefined;
  return {
    // `require` encrypts without checking who answers (like libpq's sslmode=require).
    rejectUnauthorized: tls.mode === 'verify',
    ca: tls.ca ? resolveSecretReference(tls.ca) : undefined,
    cert: tls.cert ? resolveSecretReference(tls.cert) : undefined,
    key: tls.key ? resolveSecretReference(tls.key) : undefined,
  };
}

/** The connection URL: a secret reference is resolved now; a literal URL must not carry a password. */
export function resolveConnectionUrl(systemId: string, connection: SqlConnection): string | undefined {
  if (!connection.url) return undefined;
  if (isSecretReference(connection.url)) return resolveSecretReference(connection.url);
  try {
    if (new URL(connection.url).password) {
      throw new InvalidInput(
        'connector.password_in_url',
        `System ${systemId}: the connection URL contains a password. Put the URL in a secret (url: env:NAME) or the password in password: env:NAME.`,
        { system: systemId },
      );
    }
  } catch (error) {
    if (error instanceof InvalidInput) throw error;
    throw new InvalidInput('connector.bad_url', `System ${systemId}: the connection URL cannot be parsed.`, {
      system: systemId,
    });
  }
  return connection.url;
}

/** The password, resolved at the moment a connection is opened. */
export function resolvePassword(connection: SqlConnection): string | undefined {
  return connection.password ? resolveSecretReference(connection.password) : undefined;
}
