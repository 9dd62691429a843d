import { Unavailable } from '../../src/kernel/errors/domain-error.ts';

/**
 * Polls `probe` until it returns a value other than undefined (test code: waits for what a job does
 * in the background). Fails with `what` after `timeoutMs`.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Unavailable('test.wait_timed_out', `timed out after ${timeoutMs} ms waiting until ${what}`, {
        what,
        timeoutMs,
      });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
