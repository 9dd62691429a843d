import type { Permission } from './permissions.ts';

/** The channel `revokeApiKey` notifies on, with the key's id as payload (never the key). */
export const API_KEYS_CHANNEL = 'steward_api_keys';

/** A key that was found live in the database, as authentication needs it. */
export interface VerifiedApiKey {
  id: string;
  tenantId: string;
  permissions: ReadonlySet<Permission>;
  /** Epoch milliseconds, checked on every use: a cached key still stops working when it expires. */
  expiresAt: number | null;
}

interface Entry {
  key: VerifiedApiKey;
  loadedAt: number;
}

/** Every cache of this process, so a revocation here reaches them without waiting for the notification. */
const liveCaches = new Set<ApiKeyCache>();

/**
 * Verified API keys of one process, by token hash, kept briefly so a request does not read the
 * database to authenticate. Only live keys are kept: unknown, revoked and expired keys are looked
 * up every time. A revocation drops the key at once in this process (`forgetApiKeyInThisProcess`)
 * and, through the database notification, in every other replica. While notifications are not
 * being received the cache answers nothing (a revocation could be missed); the TTL is the safety
 * net besides. A key read from the database is stored only if nothing was revoked during the read,
 * so a slow read cannot put back a key revoked meanwhile.
 */
export class ApiKeyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxKeys: number;
  #generation = 0;
  #listening = false;

  constructor(options: { ttlMs: number; maxKeys: number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxKeys = options.maxKeys;
    liveCaches.add(this);
  }

  /** Taken before a database read and passed to `store`. */
  get generation(): number {
    return this.#generation;
  }

  get(tokenHash: string, now: number): VerifiedApiKey | undefined {
    if (!this.#listening) return undefined;
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    if (now - entry.loadedAt > this.#ttlMs) {
      this.#entries.delete(tokenHash);
      return undefined;
    }
    return entry.key;
  }

  store(tokenHash: string, key: VerifiedApiKey, generation: number, now: number): void {
    if (!this.#listening || generation !== this.#generation || this.#maxKeys === 0) return;
    if (this.#entries.size >= this.#maxKeys) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(tokenHash, { key, loadedAt: now });
  }

  forget(keyId: string): void {
    this.#generation++;
    for (const [hash, entry] of this.#entries) if (entry.key.id === keyId) this.#entries.delete(hash);
  }

  /** `false`: revocations may be missed, answer nothing; `true`: listening again, start empty. */
  setListening(listening: boolean): void {
    this.#generation++;
    this.#entries.clear();
    this.#listening = listening;
  }

  close(): void {
    this.setListening(false);
    liveCaches.delete(this);
  }
}

/** Drops a revoked key from every cache of this process (other processes hear the notification). */
export function forgetApiKeyInThisProcess(keyId: string): void {
  for (const cache of liveCaches) cache.forget(keyId);
}
