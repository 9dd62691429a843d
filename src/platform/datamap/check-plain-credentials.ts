import { isSecretReference } from '../secrets/secret-reference.ts';
import type { DataMapLocator } from './datamap-locator.ts';
import type { DataMapSystem, HttpEndpoint, HttpHeaderValue, SqlConnection } from './datamap-types.ts';

const SENSITIVE_NAME = /(authorization|api[-_]?key|token|secret|password|passwd|cookie|signature|session)/i;
const PLAIN_FIX =
  'put the secret in an environment variable or a file and reference it: env:NAME or file:/path (headers: { secret: env:NAME, prefix: "Bearer " })';

/**
 * Credentials live in the environment or in files, never in the (git-versioned) data map. Messages
 * never repeat the offending value: it is probably the secret.
 */
export function checkPlainCredentials(system: DataMapSystem, locator: DataMapLocator): void {
  const subject = system.id;
  if (system.kind === 'postgres' || system.kind === 'mysql')
    checkSqlConnection(system.connection, system, subject, locator);
  if (system.kind !== 'http') return;
  const { connection } = system;
  if (hasUrlCredentials(connection.baseUrl)) {
    locator.report(system, ['connection', 'baseUrl'], {
      code: 'datamap.plain_credential',
      subject,
      message: 'baseUrl contains a password or a credential in its query string',
      fix: PLAIN_FIX,
    });
  }
  checkHeaders(connection.headers, system, ['connection', 'headers'], subject, locator);
  system.collections.forEach((collection, index) => {
    if (!collection.endpoints) return;
    for (const kind of ['read', 'delete', 'update'] as const) {
      for (const [name, endpoint] of Object.entries(collection.endpoints[kind])) {
        checkEndpoint(
          endpoint,
          collection,
          ['endpoints', kind, name],
          `${subject}.${collection.name}`,
          locator,
        );
      }
    }
    void index;
  });
}

function checkSqlConnection(
  connection: SqlConnection,
  system: DataMapSystem,
  subject: string,
  locator: DataMapLocator,
): void {
  if (!connection.url && !connection.host) {
    locator.report(system, ['connection'], {
      code: 'datamap.connection_incomplete',
      subject,
      message: 'the connection has neither url nor host',
      fix: 'set url: env:NAME (a variable holding the connection URL) or host, port, database, user and password: env:NAME',
    });
    return;
  }
  if (!connection.url || isSecretReference(connection.url)) return;
  let url: URL;
  try {
    url = new URL(connection.url);
  } catch {
    locator.report(system, ['connection', 'url'], {
      code: 'datamap.bad_url',
      subject,
      message: 'url is neither a secret reference nor a URL',
      fix: 'write env:NAME (recommended) or a postgres:// / mysql:// URL without a password',
    });
    return;
  }
  const expected = system.kind === 'postgres' ? ['postgres:', 'postgresql:'] : ['mysql:', 'mariadb:'];
  if (!expected.includes(url.protocol)) {
    locator.report(system, ['connection', 'url'], {
      code: 'datamap.bad_url',
      subject,
      message: `a ${system.kind} system needs a ${expected[0]}// URL, not ${url.protocol}//`,
      fix: 'fix the URL scheme or the system kind',
    });
  }
  if (hasUrlCredentials(connection.url)) {
    locator.report(system, ['connection', 'url'], {
      code: 'datamap.plain_credential',
      subject,
      message: 'url contains a plain-text password',
      fix: PLAIN_FIX,
    });
  }
}

function hasUrlCredentials(text: string): boolean {
  try {
    const url = new URL(text);
    if (url.password) return true;
    return [...url.searchParams.keys()].some(
      (key) => SENSITIVE_NAME.test(key) || /^(key|sslpassword)$/i.test(key),
    );
  } catch {
    return false;
  }
}

function checkHeaders(
  headers: Record<string, HttpHeaderValue>,
  at: object,
  path: (string | number)[],
  subject: string,
  locator: DataMapLocator,
): void {
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' || !SENSITIVE_NAME.test(name)) continue;
    locator.report(at, [...path, name], {
      code: 'datamap.plain_credential',
      subject,
      message: `header "${name}" holds a plain-text value`,
      fix: PLAIN_FIX,
    });
  }
}

function checkEndpoint(
  endpoint: HttpEndpoint,
  at: object,
  path: (string | number)[],
  subject: string,
  locator: DataMapLocator,
): void {
  checkHeaders(endpoint.headers, at, [...path, 'headers'], subject, locator);
  for (const [name, value] of Object.entries(endpoint.query)) {
    if (SENSITIVE_NAME.test(name) && !/^\{[^}]+\}$/.test(value)) {
      locator.report(at, [...path, 'query', name], {
        code: 'datamap.plain_credential',
        subject,
        message: `query parameter "${name}" holds a plain-text value`,
        fix: 'send credentials in a header with { secret: env:NAME }',
      });
    }
  }
}
