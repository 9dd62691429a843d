import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/kernel-config-schema.ts';
import { Unavailable } from '../errors/domain-error.ts';
import { describeConnectionUrl } from './connection-url.ts';
import { surviveConnectionLoss } from './pool-connection-loss.ts';
import {
  APPLICATION_NAME_PREFIX,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './embedded/embedded-postgres.ts';

/** The database Steward keeps its own tables in on the embedded server. */
export const EMBEDDED_DATABASE_NAME = 'steward';

/** An open Steward database: Kysely on top, and the URL pg-boss and the LISTEN connection open theirs with. */
export interface StewardDatabase<Tables = unknown> {
  /** Typed by the tables the holder may touch (a module's own, or the app's whole `Database`). */
  db: Kysely<Tables>;
  url: string;
  /** Set when Steward runs its own embedded PostgreSQL server (no database.url configured). */
  embedded?: EmbeddedPostgres;
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;

/** How every Steward connection parses values (see openDatabase). */
export const STEWARD_TYPE_PARSERS = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

type RetryListener = (attempt: number, delayMs: number, reason: string) => void;

/**
 * Opens PostgreSQL at `database.url` when it is set; otherwise starts (or attaches to) Steward's
 * embedded PostgreSQL server in `database.dataDir` and opens its `steward` database. Types parse the
 * same way everywhere: int8 as number (counts and ids stay below 2^53), date as 'YYYY-MM-DD' text,
 * timestamptz as Date.
 */
export async function openDatabase<Tables = unknown>(
  config: DatabaseConfig,
  options: { onRetry?: RetryListener; onEmbeddedInitialise?: () => void } = {},
): Promise<StewardDatabase<Tables>> {
  if (config.url) return openPostgres<Tables>(config, withApplicationName(config.url), options.onRetry);
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    onInitialise: options.onEmbeddedInitialise,
  });
  try {
    await embedded.ensureDatabase(EMBEDDED_DATABASE_NAME);
    const database = await openPostgres<Tables>(
      config,
      embedded.urlFor(EMBEDDED_DATABASE_NAME),
      options.onRetry,
    );
    return {
      ...database,
      embedded,
      async close() {
        await database.close();
        await embedded.release();
      },
    };
  } catch (error) {
    await embedded.release().catch(() => {});
    throw error;
  }
}

/**
 * Names this process's connections `steward:<pid>` (unless the URL names them already), so that an
 * operator sees who is connected and the embedded server knows when its last Steward process left.
 */
export function withApplicationName(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('application_name'))
    parsed.searchParams.set('application_name', `${APPLICATION_NAME_PREFIX}${process.pid}`);
  return parsed.toString();
}

async function openPostgres<Tables>(
  config: DatabaseConfig,
  url: string,
  onRetry?: RetryListener,
): Promise<StewardDatabase<Tables>> {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize,
    connectionTimeoutMillis: 5_000,
    statement_timeout: config.statementTimeoutMs || undefined,
    types: STEWARD_TYPE_PARSERS,
  });
  // A server restart must not crash the process: the pool drops dead clients and reconnects on demand.
  surviveConnectionLoss(pool);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  await waitForPostgres(db, url, config.connectAttempts, onRetry).catch(async (error: unknown) => {
    await db.destroy();
    throw error;
  });
  return { db, url, close: () => db.destroy() };
}

async function waitForPostgres<Tables>(
  db: Kysely<Tables>,
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
