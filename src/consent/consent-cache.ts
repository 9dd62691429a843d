import type { ConsentStateRow } from './consent-decision.ts';
import type { Notice } from './notices.ts';
import type { TcfSummary } from './tcf-records.ts';

/** Everything the decision needs about one subject. */
export interface SubjectConsent {
  states: Map<string, ConsentStateRow>;
  tcf: TcfSummary | null;
}

interface Entry<T> {
  value: T;
  loadedAt: number;
}

/**
 * Per-process cache of subjects' consent state and tenants' notices. Writers invalidate it in
 * process after commit and, for other replicas, through database notifications
 * (consent-change-listener.ts). A value read from the database is only stored if no invalidation
 * happened while it was being read, so a slow read can never put back state older than a change
 * that was already announced. While notifications are not being received (`reliable` false) the
 * cache is bypassed: correctness before speed.
 */
export class ConsentCache {
  readonly #subjects = new Map<string, Entry<SubjectConsent>>();
  readonly #notices = new Map<string, Entry<Notice[]>>();
  readonly #maxSubjects: number;
  readonly #ttlMs: number;
  #generation = 0;
  reliable = false;

  constructor(options: { maxSubjects: number; ttlSeconds: number }) {
    this.#maxSubjects = options.maxSubjects;
    this.#ttlMs = options.ttlSeconds * 1000;
  }

  /** A token to pass to `storeSubject`/`storeNotices`: taken before the read. */
  get generation(): number {
    return this.#generation;
  }

  subject(tenantId: string, key: string): SubjectConsent | undefined {
    return this.#fresh(this.#subjects, `${tenantId}\u0000${key}`);
  }

  notices(tenantId: string): Notice[] | undefined {
    return this.#fresh(this.#notices, tenantId);
  }

  storeSubject(tenantId: string, key: string, value: SubjectConsent, generation: number): void {
    if (!this.reliable || generation !== this.#generation || this.#maxSubjects === 0) return;
    if (this.#subjects.size >= this.#maxSubjects) {
      // Oldest first: Map iteration follows insertion order.
      const oldest = this.#subjects.keys().next().value;
      if (oldest !== undefined) this.#subjects.delete(oldest);
    }
    this.#subjects.set(`${tenantId}\u0000${key}`, { value, loadedAt: Date.now() });
  }

  storeNotices(tenantId: string, value: Notice[], generation: number): void {
    if (!this.reliable || generation !== this.#generation) return;
    this.#notices.set(tenantId, { value, loadedAt: Date.now() });
  }

  invalidateSubject(tenantId: string, key: string): void {
    this.#generation++;
    this.#subjects.delete(`${tenantId}\u0000${key}`);
  }

  invalidateNotices(tenantId: string): void {
    this.#generation++;
    this.#notices.delete(tenantId);
  }

  /** After a lost notification connection: anything may have changed meanwhile. */
  clear(): void {
    this.#generation++;
    this.#subjects.clear();
    this.#notices.clear();
  }

  #fresh<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    if (!this.reliable) return undefined;
    const entry = map.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.loadedAt > this.#ttlMs) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }
}
