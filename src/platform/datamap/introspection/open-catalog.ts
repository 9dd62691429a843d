import type mysql from 'mysql2/promise';
import { loadOnFirstUse } from '../../../kernel/runtime/load-on-first-use.ts';
import pg from 'pg';
import { resolveConnectionUrl, resolvePassword, resolveTls } from '../../connectors/connection-secrets.ts';
import { InvalidInput, Unavailable } from '../../../kernel/errors/domain-error.ts';
import { isSecretReference, resolveSecretReference } from '../../secrets/secret-reference.ts';
import type { DataMapSystem, SqlConnection } from '../datamap-types.ts';
import type { CatalogQuery } from './catalog-snapshot.ts';

// The MySQL driver loads when a MySQL or MariaDB system is first used (~9 MB in every process otherwise).
const loadMysql = loadOnFirstUse<typeof import('mysql2/promise')>('mysql2/promise');

/** A read-only handle on a database's catalog. */
export interface CatalogConnection {
  kind: 'postgres' | 'mysql';
  query: CatalogQuery;
  /** `public` on PostgreSQL, the connected database on MySQL. */
  defaultSchema: string;
  /** Where it points, without credentials, for messages and the draft's header. */
  label: string;
  close(): Promise<void>;
}

/** Opens `postgres://…`, `mysql://…` / `mariadb://…`, or an `env:`/`file:` reference to one. */
export async function openCatalogFromUrl(urlOrReference: string): Promise<CatalogConnection> {
  const url = isSecretReference(urlOrReference) ? resolveSecretReference(urlOrReference) : urlOrReference;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInput(
      'datamap.generate_bad_url',
      'The database URL cannot be parsed. Use postgres://user@host:5432/db or mysql://user@host:3306/db.',
    );
  }
  if (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:')
    return openPostgres({ connectionString: url }, describe(parsed));
  if (parsed.protocol === 'mysql:' || parsed.protocol === 'mariadb:') {
    parsed.protocol = 'mysql:';
    const database = decodeURIComponent(parsed.pathname.slice(1));
    if (!database)
      throw new InvalidInput(
        'datamap.generate_no_database',
        'The MySQL URL names no database. Add it as the path: mysql://user@host:3306/shop.',
      );
    return openMysql({ uri: parsed.toString() }, database, describe(parsed));
  }
  throw new InvalidInput(
    'datamap.generate_bad_url',
    `Unsupported URL scheme ${parsed.protocol}. Use postgres:// or mysql://.`,
  );
}

/** Opens the database of a system declared in the data map, resolving its secret references now. */
export async function openCatalogForSystem(system: DataMapSystem): Promise<CatalogConnection> {
  if (system.kind === 'http') {
    throw new InvalidInput(
      'datamap.generate_http',
      `System ${system.id} is reached over HTTP; there is no catalog to introspect. Describe its collections by hand.`,
      { system: system.id },
    );
  }
  if (system.kind === 'files') {
    throw new InvalidInput(
      'datamap.generate_files',
      `System ${system.id} is a folder of log files; there is no catalog to introspect. Use steward discover ${system.id} to see which fields hold personal data.`,
      { system: system.id },
    );
  }
  const connection: SqlConnection = system.connection;
  const url = resolveConnectionUrl(system.id, connection);
  const tls = resolveTls(connection.tls);
  const label = `system ${system.id}`;
  if (system.kind === 'postgres') {
    return openPostgres(
      {
        connectionString: url,
        host: connection.host,
        port: connection.port,
        database: connection.database,
        user: connection.user,
        password: resolvePassword(connection),
        ssl: tls,
        connectionTimeoutMillis: connection.connectTimeoutMs,
      },
      label,
    );
  }
  const database = connection.database ?? (url ? decodeURIComponent(new URL(url).pathname.slice(1)) : '');
  if (!database)
    throw new InvalidInput(
      'datamap.generate_no_database',
      `System ${system.id} names no database. Set connection.database or put it in the URL.`,
      { system: system.id },
    );
  return openMysql(
    {
      ...(url ? { uri: url.replace(/^mariadb:/, 'mysql:') } : {}),
      host: connection.host,
      port: connection.port,
      database,
      user: connection.user,
      password: resolvePassword(connection),
      ssl: tls,
      connectTimeout: connection.connectTimeoutMs,
    },
    database,
    label,
  );
}

async function openPostgres(config: pg.ClientConfig, label: string): Promise<CatalogConnection> {
  const client = new pg.Client({ ...config, application_name: 'steward-datamap-generate' });
  try {
    await client.connect();
  } catch (error) {
    throw catalogUnreachable(label, error);
  }
  return {
    kind: 'postgres',
    defaultSchema: 'public',
    label,
    query: async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[],
    close: () => client.end(),
  };
}

async function openMysql(
  config: mysql.ConnectionOptions,
  database: string,
  label: string,
): Promise<CatalogConnection> {
  let connection: mysql.Connection;
  try {
    connection = await loadMysql().createConnection(config);
  } catch (error) {
    throw catalogUnreachable(label, error);
  }
  return {
    kind: 'mysql',
    defaultSchema: database,
    label,
    query: async (sql, params) =>
      (await connection.execute(sql, params as never[]))[0] as Record<string, unknown>[],
    close: () => connection.end(),
  };
}

/** The URL without user info, safe to print. */
function describe(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function catalogUnreachable(label: string, error: unknown): Unavailable {
  return new Unavailable(
    'datamap.generate_unreachable',
    `Cannot connect to ${label}: ${(error as Error).message}. Check the URL and that the server is running.`,
    { target: label },
    { cause: error },
  );
}
