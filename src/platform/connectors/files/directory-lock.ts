import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Conflict } from '../../../kernel/errors/domain-error.ts';

const LOCK_FILE = '.steward-files.lock';
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` while holding the directory's lock: one rewrite at a time per log directory, across
 * the workers of this process (a queue) and across processes (a lock file holding the owner's pid;
 * the lock of a process that died is taken over). Waits up to `timeoutMs` for it.
 */
export async function withDirectoryLock<T>(
  directory: string,
  work: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const previous = queues.get(directory) ?? Promise.resolve();
  const run = previous
    .catch(() => {})
    .then(async () => {
      const release = await acquire(directory, timeoutMs);
      try {
        return await work();
      } finally {
        await release();
      }
    });
  queues.set(directory, run);
  try {
    return await run;
  } finally {
    if (queues.get(directory) === run) queues.delete(directory);
  }
}

async function acquire(directory: string, timeoutMs: number): Promise<() => Promise<void>> {
  const path = join(directory, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(path).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(path, 'utf8').catch(() => ''));
    if (owner && !processAlive(owner)) {
      await unlink(path).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      throw new Conflict(
        'connector.files_locked',
        `Another Steward process (pid ${owner || 'unknown'}) is rewriting files in ${directory}; try again when it is done.`,
        { directory },
      );
    }
    await sleep(50);
  }
}

/** Whether a process with this id runs (one we may not signal runs too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
