import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { STEWARD_TYPE_PARSERS } from './open-database.ts';

/** One connection of its own, for work that needs a session: COPY, temporary tables, a long transaction. */
export interface DedicatedConnection<Tables> {
  /** Kysely on this one connection: a transaction opened here holds the COPYs made below too. */
  db: Kysely<Tables>;
  /**
   * Runs `COPY … FROM STDIN` (text format) with the given lines, each ending in a newline (see
   * `copyTextLine`); resolves with the rows the server took, once it has them all.
   */
  copyIn(statement: string, lines: AsyncIterable<string>): Promise<number>;
}

/**
 * Opens a connection outside the pool for `work` and closes it after, whatever happens. Bulk work
 * goes here so it never holds pooled connections the API needs, and so COPY, temporary tables and
 * the transaction around them share one session.
 */
export async function withDedicatedConnection<Tables, T>(
  database: { url: string },
  options: { statementTimeoutMs?: number },
  work: (connection: DedicatedConnection<Tables>) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: database.url,
    types: STEWARD_TYPE_PARSERS,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // A lost connection fails the work's current statement; it must not be an uncaught exception.
  client.on('error', () => {});
  await client.connect();
  const pool: PostgresPool = {
    options: {},
    connect: async () => ({
      query: client.query.bind(client) as never,
      release: () => {},
    }),
    end: async () => {},
  };
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await work({
      db,
      async copyIn(statement, lines) {
        const sink = client.query(copyFrom(statement));
        await pipeline(Readable.from(batched(lines)), sink);
        return sink.rowCount;
      },
    });
  } finally {
    await db.destroy();
    await client.end().catch(() => {});
  }
}

/** One line of COPY text format: tab-separated, `\N` for NULL, backslash escapes (see PostgreSQL's COPY). */
export function copyTextLine(values: readonly (string | number | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) line += '\t';
    line += value === null || value === undefined ? '\\N' : escapeCopyText(String(value));
  }
  return `${line}\n`;
}

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCopyText(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\n\r\t]/g, (char) => ESCAPES[char]!) : value;
}

/** Lines joined into chunks of about 64 KiB: one socket write per chunk, not per row. */
async function* batched(lines: AsyncIterable<string>): AsyncIterable<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
