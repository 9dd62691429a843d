import pg from 'pg';
import type { Logger } from '../logging/logger.ts';
import type { StewardDatabase } from './open-database.ts';

/** What a per-process cache does with the notifications of one channel. */
export interface ChangeSubscriber {
  /** A writer committed a change and notified with this payload. */
  onNotification(payload: string): void;
  /**
   * `false`: notifications are not being received (connection lost), so nothing cached may be
   * trusted. `true`: listening (again); whatever changed meanwhile is unknown, so start empty.
   */
  onListening(listening: boolean): void;
}

/** Stops one subscription; the shared connection closes with the last one. */
export type Unsubscribe = () => Promise<void>;

/**
 * Subscribes a cache to a notification channel of the database, so changes committed by any
 * process (PostgreSQL `NOTIFY`, sent in the writer's transaction and delivered on commit) reach
 * every replica. On PostgreSQL one dedicated connection per database handle LISTENs on every
 * subscribed channel and reconnects with backoff. Channel names are fixed identifiers (letters, digits, underscore).
 */
export async function subscribeToChanges(
  database: Pick<StewardDatabase, 'url'> & { db: object },
  logger: Logger,
  channel: string,
  subscriber: ChangeSubscriber,
  options: ListenerOptions = {},
): Promise<Unsubscribe> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new TypeError(`not a channel name: ${channel}`);
  let listener = listeners.get(database.db);
  if (!listener) {
    listener = new PostgresListener(database.url, logger, options);
    listeners.set(database.db, listener);
  }
  const shared = listener;
  await shared.add(channel, subscriber);
  return async () => {
    if ((await shared.remove(channel, subscriber)) === 0 && listeners.get(database.db) === shared)
      listeners.delete(database.db);
  };
}

export interface ListenerOptions {
  /**
   * How often the LISTEN connection proves it is alive (a `select 1` on it), and how long that may
   * take. A connection cut without a FIN (a frozen server, a firewall dropping idle flows) raises no
   * error: without this check caches would trust a listener that hears nothing, for good.
   */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
}

const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

/** One LISTEN connection per open database handle in this process, shared by its caches. */
const listeners = new WeakMap<object, PostgresListener>();

class PostgresListener {
  readonly #url: string;
  readonly #logger: Logger;
  readonly #subscribers = new Map<string, Set<ChangeSubscriber>>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #closed = false;
  readonly #heartbeatMs: number;
  readonly #heartbeatTimeoutMs: number;
  #heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(url: string, logger: Logger, options: ListenerOptions) {
    this.#url = url;
    this.#logger = logger;
    this.#heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.#heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
  }

  async add(channel: string, subscriber: ChangeSubscriber): Promise<void> {
    this.#closed = false;
    const set = this.#subscribers.get(channel) ?? new Set<ChangeSubscriber>();
    this.#subscribers.set(channel, set.add(subscriber));
    subscriber.onListening(false);
    try {
      if (!this.#client)
        await (this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined)));
      const client = this.#client;
      if (!client) return;
      // LISTEN is idempotent; once it has run on the live connection nothing is missed.
      await client.query(`LISTEN ${channel}`);
      if (this.#client === client && set.has(subscriber)) subscriber.onListening(true);
    } catch (error) {
      this.#logger.warn(
        { err: error, channel },
        'cannot listen for database changes; caches are bypassed until it can',
      );
      this.#scheduleReconnect();
    }
  }

  /** Returns the subscriptions left. */
  async remove(channel: string, subscriber: ChangeSubscriber): Promise<number> {
    subscriber.onListening(false);
    const set = this.#subscribers.get(channel);
    set?.delete(subscriber);
    if (set?.size === 0) {
      this.#subscribers.delete(channel);
      await this.#client?.query(`UNLISTEN ${channel}`).catch(() => {});
    }
    if (this.#subscribers.size > 0) return this.#subscribers.size;
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#stopHeartbeat();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
    return 0;
  }

  async #connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: this.#url,
      application_name: 'steward-change-listener',
      keepAlive: true,
      connectionTimeoutMillis: this.#heartbeatTimeoutMs,
    });
    const lost = () => this.#lose(next);
    next.on('error', lost);
    next.on('end', lost);
    next.on('notification', (message) => {
      for (const subscriber of this.#subscribers.get(message.channel) ?? [])
        subscriber.onNotification(message.payload ?? '');
    });
    await next.connect();
    const channels = [...this.#subscribers.keys()];
    try {
      for (const channel of channels) await next.query(`LISTEN ${channel}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await next.end().catch(() => {});
      return;
    }
    this.#client = next;
    this.#attempt = 0;
    this.#startHeartbeat(next);
    for (const channel of channels)
      for (const subscriber of this.#subscribers.get(channel) ?? []) subscriber.onListening(true);
  }

  /** The connection is gone or silent: caches stop trusting it, and a new one is made with backoff. */
  #lose(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#stopHeartbeat();
    this.#each((subscriber) => subscriber.onListening(false));
    client.end().catch(() => {});
    this.#scheduleReconnect();
  }

  #startHeartbeat(client: pg.Client): void {
    this.#stopHeartbeat();
    const beat = async () => {
      let timer: NodeJS.Timeout | undefined;
      const silent = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), this.#heartbeatTimeoutMs);
      });
      try {
        await Promise.race([client.query('select 1'), silent]);
      } catch {
        this.#logger.warn(
          'the database change listener stopped answering; caches are bypassed until it reconnects',
        );
        this.#lose(client);
        return;
      } finally {
        clearTimeout(timer);
      }
      if (this.#client === client) schedule();
    };
    const schedule = () => {
      this.#heartbeatTimer = setTimeout(() => void beat(), this.#heartbeatMs);
      this.#heartbeatTimer.unref();
    };
    schedule();
  }

  #stopHeartbeat(): void {
    if (this.#heartbeatTimer) clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#retryTimer || this.#subscribers.size === 0) return;
    const delay = Math.min(100 * 2 ** this.#attempt++, 10_000);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#connecting ??= this.#connect()
        .catch((error: unknown) => {
          this.#logger.warn(
            { err: error, attempt: this.#attempt },
            'cannot listen for database changes; caches are bypassed until it can',
          );
          this.#scheduleReconnect();
        })
        .finally(() => (this.#connecting = undefined));
    }, delay);
    this.#retryTimer.unref();
  }

  #each(action: (subscriber: ChangeSubscriber) => void): void {
    for (const set of this.#subscribers.values()) for (const subscriber of set) action(subscriber);
  }
}
