import type { ConsentDecision, ConsentStateRow } from '../core/consent-decision.ts';
import { subjectCacheKey } from '../core/consent-notifications.ts';
import type { Notice } from './notices.ts';
import type { TcfSummary } from '../core/tcf-summary.ts';

/** Everything the decision needs about one subject. */
export interface SubjectConsent {
  states: Map<string, ConsentStateRow>;
  tcf: TcfSummary | null;
  /** Decisions already made from this state (check-consent.ts). */
  decisions?: MemoisedDecision[];
}

/** A decision stays right while the notices are the same array and until `until` (a consent's expiry). */
export interface MemoisedDecision {
  purpose: string;
  /** '' when the check named none. */
  jurisdiction: string;
  notices: Notice[];
  until: number;
  decision: ConsentDecision;
}

interface Entry<T> {
  value: T;
  loadedAt: number;
}

/**
 * Per-process cache of subjects' consent state and tenants' notices. Writers invalidate it in
 * process after commit and, for other replicas, through database notifications
 * (consent-change-listener.ts), which name a subject by a hash only (`subjectCacheKey`); lookups
 * use the identifier itself so a check computes no hash. A value read from the database is only
 * stored if no invalidation happened while it was being read, so a slow read can never put back
 * state older than a change that was already announced. While notifications are not being
 * received (`reliable` false) the cache is bypassed: correctness before speed.
 */
export class ConsentCache {
  /** By tenant and subject identifier. */
  readonly #subjects = new Map<string, Entry<SubjectConsent> & { hashKey: string }>();
  /** Tenant and subject hash → the key in #subjects, for invalidations by notification. */
  readonly #byHash = new Map<string, string>();
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

  subject(tenantId: string, subject: string, now = Date.now()): SubjectConsent | undefined {
    if (!this.reliable) return undefined;
    const key = `${tenantId}\u0000${subject}`;
    const entry = this.#subjects.get(key);
    if (!entry) return undefined;
    if (now - entry.loadedAt > this.#ttlMs) {
      this.#dropSubject(key);
      return undefined;
    }
    return entry.value;
  }

  notices(tenantId: string, now = Date.now()): Notice[] | undefined {
    if (!this.reliable) return undefined;
    const entry = this.#notices.get(tenantId);
    if (!entry) return undefined;
    if (now - entry.loadedAt > this.#ttlMs) {
      this.#notices.delete(tenantId);
      return undefined;
    }
    return entry.value;
  }

  storeSubject(tenantId: string, subject: string, value: SubjectConsent, generation: number): void {
    if (!this.reliable || generation !== this.#generation || this.#maxSubjects === 0) return;
    const key = `${tenantId}\u0000${subject}`;
    if (!this.#subjects.has(key) && this.#subjects.size >= this.#maxSubjects) {
      // Oldest first: Map iteration follows insertion order.
      const oldest = this.#subjects.keys().next().value;
      if (oldest !== undefined) this.#dropSubject(oldest);
    }
    const hashKey = `${tenantId}\u0000${subjectCacheKey(subject)}`;
    this.#subjects.set(key, { value, loadedAt: Date.now(), hashKey });
    this.#byHash.set(hashKey, key);
  }

  storeNotices(tenantId: string, value: Notice[], generation: number): void {
    if (!this.reliable || generation !== this.#generation) return;
    this.#notices.set(tenantId, { value, loadedAt: Date.now() });
  }

  /** `subjectHash` is `subjectCacheKey(subject)`, as notifications carry it. */
  invalidateSubject(tenantId: string, subjectHash: string): void {
    this.#generation++;
    const key = this.#byHash.get(`${tenantId}\u0000${subjectHash}`);
    if (key !== undefined) this.#dropSubject(key);
  }

  invalidateNotices(tenantId: string): void {
    this.#generation++;
    this.#notices.delete(tenantId);
  }

  /** After a lost notification connection: anything may have changed meanwhile. */
  clear(): void {
    this.#generation++;
    this.#subjects.clear();
    this.#byHash.clear();
    this.#notices.clear();
  }

  #dropSubject(key: string): void {
    const entry = this.#subjects.get(key);
    if (!entry) return;
    this.#subjects.delete(key);
    this.#byHash.delete(entry.hashKey);
  }
}
