/**
 * Counts failed authentications per client address in fixed windows, so guessing keys or replaying
 * stale cookies is cut off long before the global rate limit would notice.
 */
export class FailedAttemptLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  isBlocked(client: string, now = Date.now()): boolean {
    const window = this.#windows.get(client);
    return window !== undefined && now - window.startedAt < this.#windowMs && window.failures >= this.#max;
  }

  recordFailure(client: string, now = Date.now()): void {
    const window = this.#windows.get(client);
    if (!window || now - window.startedAt >= this.#windowMs) {
      // Bounded memory under a spray of addresses: forget everything that is over.
      if (this.#windows.size > 50_000) this.#windows.clear();
      this.#windows.set(client, { startedAt: now, failures: 1 });
      return;
    }
    window.failures += 1;
  }
}
