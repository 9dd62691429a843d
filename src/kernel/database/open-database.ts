import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StewardConfig } from '../../app/config/config-schema.ts';
import { Unavailable } from '../errors/domain-error.ts';
import type { Database } from '../../app/database.ts';
import { lockDataDirectory } from './embedded-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { describeConnectionUrl } from './connection-url.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open Steward database: Kysely on top, and the raw handle the job engine needs. */
export interface StewardDatabase {
  kind: DatabaseKind;
  db: Kysely<Database>;
  /** Set on the embedded backend; pg-boss talks to it through its PGlite adapter. */
  pglite?: PGlite;
  /** Set on PostgreSQL: the connection URL pg-boss opens its own pool with. */
  url?: string;
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;

/**
 * Opens PostgreSQL when `database.url` is set, otherwise the embedded PGlite database in
 * `database.dataDir` (or in memory for `memory://`). Both backends parse types the same way:
 * int8 as number (counts and ids stay below 2^53), date as 'YYYY-MM-DD' text, timestamptz as Date.
 */
export async function openDatabase(
  config: StewardConfig['database'],
  options: { onRetry?: (attempt: number, delayMs: number, reason: string) => void } = {},
): Promise<StewardDatabase> {
  return config.url ? openPostgres(config, config.url, options.onRetry) : openPglite(config.dataDir);
}

async function openPglite(dataDir: string): Promise<StewardDatabase> {
  const inMemory = dataDir.startsWith('memory://');
  let unlock = () => {};
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDirectory(dataDir);
  }
  try {
    const pglite = await PGlite.create({
      dataDir: inMemory ? undefined : dataDir,
      parsers: { [INT8_OID]: (value: string) => Number(value), [DATE_OID]: (value: string) => value },
      serializers: { [pgliteTypes.INT8]: (value: unknown) => String(value) },
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      kind: 'pglite',
      db,
      pglite,
      async close() {
        await db.destroy();
        await pglite.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw new Unavailable('db.embedded_open_failed', `Cannot open the embedded database in ${dataDir}: ${(error as Error).message}`, { dataDir }, { cause: error });
  }
}

async function openPostgres(
  config: StewardConfig['database'],
  url: string,
  onRetry?: (attempt: number, delayMs: number, reason: string) => void,
): Promise<StewardDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize,
    connectionTimeoutMillis: 5_000,
    statement_timeout: config.statementTimeoutMs || undefined,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID) return (value: string) => Number(value);
        if (oid === DATE_OID) return (value: string) => value;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await waitForPostgres(db, url, config.connectAttempts, onRetry).catch(async (error: unknown) => {
    await db.destroy();
    throw error;
  });
  return { kind: 'postgres', db, url, close: () => db.destroy() };
}

async function waitForPostgres(
  db: Kysely<Database>,
  url: string,
  attempts: number,
  onRetry?: (attempt: number, delayMs: number, reason: string) => void,
): Promise<void> {
  let lastReason = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await sql`select 1`.execute(db);
      return;
    } catch (error) {
      lastReason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      if (attempt === attempts) break;
      const delayMs = Math.min(250 * 2 ** (attempt - 1), 5_000);
      onRetry?.(attempt, delayMs, lastReason);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
  throw new Unavailable(
    'db.unreachable',
    `Cannot reach PostgreSQL at ${describeConnectionUrl(url)} after ${attempts} attempts (${lastReason}). Check database.url and that the server is running and accepts connections.`,
    { attempts, reason: lastReason },
  );
}
