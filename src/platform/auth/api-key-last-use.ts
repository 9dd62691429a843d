import { sql } from 'kysely';
import type { AuthDatabase } from './store/auth-database.ts';
import type { Logger } from '../../kernel/logging/logger.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';

/**
 * Records when API keys were last used, at most once per `intervalMs` per key. The first use a
 * process sees is written at once (the caller is reading the database anyway); later uses are
 * queued and written together, one statement per flush, so an authenticated request costs no
 * write. Queued uses are written on `close` too.
 */
export class ApiKeyLastUse {
  readonly #db: DbHandle<AuthDatabase>;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #flushDelayMs: number;
  readonly #written = new Map<string, number>();
  readonly #pending = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    db: DbHandle<AuthDatabase>,
    logger: Logger,
    options: { intervalMs: number; flushDelayMs: number },
  ) {
    this.#db = db;
    this.#logger = logger;
    this.#intervalMs = options.intervalMs;
    this.#flushDelayMs = options.flushDelayMs;
  }

  /** Writes the use now if it is due. */
  async writeIfDue(keyId: string, now: number): Promise<void> {
    if (!this.#due(keyId, now)) return;
    this.#pending.delete(keyId);
    await this.#write([[keyId, now]]);
  }

  /** Queues the use for the next flush if it is due. */
  queueIfDue(keyId: string, now: number): void {
    if (!this.#due(keyId, now)) return;
    this.#pending.set(keyId, now);
    this.#timer ??= setTimeout(() => void this.flush(), this.#flushDelayMs).unref();
  }

  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const uses = [...this.#pending];
    this.#pending.clear();
    await this.#write(uses);
  }

  #due(keyId: string, now: number): boolean {
    if (now - (this.#written.get(keyId) ?? 0) < this.#intervalMs) return false;
    if (this.#written.size >= 10_000) this.#written.clear();
    this.#written.set(keyId, now);
    return true;
  }

  async #write(uses: Array<[string, number]>): Promise<void> {
    const ids = uses.map(([id]) => id);
    const times = uses.map(([, at]) => new Date(at).toISOString());
    try {
      await sql`
        update api_keys set last_used_at = used.at
        from (select unnest(${ids}::text[]) as id, unnest(${times}::timestamptz[]) as at) as used
        where api_keys.id = used.id`.execute(this.#db);
    } catch (error) {
      // Last use is informational; failing to record it must not fail authentication.
      this.#logger.warn({ err: error, keys: ids.length }, 'could not record the last use of API keys');
    }
  }
}
