import { existsSync } from 'node:fs';
import type mysql from 'mysql2/promise';
import { loadOnFirstUse } from '../../../kernel/runtime/load-on-first-use.ts';
import { Conflict, InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { DataMapSystem, SqlConnection } from '../../../platform/datamap/datamap-types.ts';
import type { MaskingTarget } from '../core/masking-run-types.ts';
import { PgDumpWriter } from '../sql/dump/pg-dump-writer.ts';
import type { CopyWriter, DatabaseReader } from '../sql/masking-database.ts';
import { MysqlReader } from '../sql/mysql/mysql-reader.ts';
import { MysqlWriter } from '../sql/mysql/mysql-writer.ts';
import { PostgresReader, postgresPool } from '../sql/postgres/postgres-reader.ts';
import { PostgresWriter } from '../sql/postgres/postgres-writer.ts';

// The MySQL driver loads when a MySQL or MariaDB system is first used (~9 MB in every process otherwise).
const loadMysql = loadOnFirstUse<typeof import('mysql2/promise')>('mysql2/promise');

type ResolveSecret = (reference: string) => Promise<string>;
const REFERENCE = /^(env|file|secret):.+/;

/** Opens the source system of the data map for reading (PostgreSQL or MySQL/MariaDB). */
export async function openSourceReader(
  system: DataMapSystem,
  schemas: readonly string[],
  connections: number,
  resolveSecret: ResolveSecret,
): Promise<DatabaseReader> {
  if (system.kind !== 'postgres' && system.kind !== 'mysql') {
    throw new InvalidInput(
      'masking.unsupported_source',
      `System ${system.id} is a ${system.kind} system; masked copies are made of postgres and mysql systems.`,
      { system: system.id },
    );
  }
  const url = await systemUrl(system.id, system.connection, system.kind, resolveSecret);
  if (system.kind === 'postgres') return new PostgresReader(postgresPool(url, connections), schemas);
  return new MysqlReader(mysqlPool(url, connections));
}

/**
 * Opens where the copy goes. A database target must be of the source's kind and empty when a
 * run starts (a masked copy never writes over existing tables); a dump is written only from
 * PostgreSQL and not over an existing file.
 */
export async function openCopyWriter(
  target: MaskingTarget,
  sourceKind: 'postgres' | 'mysql',
  schemas: readonly string[],
  connections: number,
  resolveSecret: ResolveSecret,
): Promise<CopyWriter> {
  if (target.kind === 'dump') {
    if (sourceKind !== 'postgres') {
      throw new InvalidInput(
        'masking.dump_needs_postgres',
        'A pg_dump-compatible file is written from PostgreSQL sources only; copy a MySQL system into a MySQL database with --to instead.',
      );
    }
    return new PgDumpWriter(target.path);
  }
  const url = REFERENCE.test(target.url) ? await resolveSecret(target.url) : target.url;
  const kind =
    url.startsWith('mysql:') || url.startsWith('mariadb:')
      ? 'mysql'
      : url.startsWith('postgres:') || url.startsWith('postgresql:')
        ? 'postgres'
        : undefined;
  if (kind !== sourceKind) {
    throw new InvalidInput(
      'masking.target_kind',
      `The target must be a ${sourceKind} database like the source; give a ${sourceKind === 'postgres' ? 'postgres://' : 'mysql://'} URL (or a reference to one).`,
      { expected: sourceKind },
    );
  }
  return kind === 'postgres'
    ? new PostgresWriter(postgresPool(url, connections), schemas)
    : new MysqlWriter(mysqlPool(url, connections));
}

/** Refuses a target that already holds tables or a dump path that exists: a new run starts from nothing. */
export async function assertEmptyTarget(
  target: MaskingTarget,
  writer: CopyWriter,
  schemas: readonly string[],
): Promise<void> {
  if (target.kind === 'dump') {
    if (existsSync(target.path)) {
      throw new Conflict(
        'masking.dump_exists',
        `${target.path} exists; choose a new file name or remove it first.`,
        { path: target.path },
      );
    }
    return;
  }
  const reader = writer.reader();
  const { catalog } = await reader.readCatalog();
  if (catalog.tables.length) {
    throw new Conflict(
      'masking.target_not_empty',
      `The target database already has ${catalog.tables.length} table(s) in ${schemas.join(', ')}; a masked copy goes into an empty database. Create a new one or drop its tables.`,
      { tables: catalog.tables.length },
    );
  }
}

/** Validates a target given by a user: a reference, or a URL without a password. */
export function checkTargetUrl(url: string): void {
  if (REFERENCE.test(url)) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInput(
      'masking.bad_target',
      'The target is neither a database URL nor a secret reference (env:NAME, file:/path, secret:NAME).',
    );
  }
  if (parsed.password) {
    throw new InvalidInput(
      'masking.password_in_target',
      'The target URL contains a password. Put the URL in a secret and pass its reference (env:NAME or secret:NAME).',
    );
  }
}

async function systemUrl(
  systemId: string,
  connection: SqlConnection,
  kind: 'postgres' | 'mysql',
  resolveSecret: ResolveSecret,
): Promise<string> {
  if (connection.url) return REFERENCE.test(connection.url) ? resolveSecret(connection.url) : connection.url;
  const url = new URL(`${kind === 'postgres' ? 'postgres' : 'mysql'}://${connection.host ?? '127.0.0.1'}`);
  if (connection.port) url.port = String(connection.port);
  if (connection.user) url.username = connection.user;
  if (connection.password) url.password = await resolveSecret(connection.password);
  url.pathname = `/${connection.database ?? ''}`;
  if (!connection.database) {
    throw new InvalidInput(
      'masking.no_database',
      `System ${systemId} names no database in its connection; add database: or a url.`,
      { system: systemId },
    );
  }
  return url.toString();
}

function mysqlPool(url: string, connections: number): mysql.Pool {
  return loadMysql().createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: connections + 1,
    multipleStatements: false,
    charset: 'utf8mb4',
  });
}
