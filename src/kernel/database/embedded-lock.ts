import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Conflict } from '../errors/domain-error.ts';

/**
 * PGlite is a single-process database: two processes writing one data directory would corrupt it.
 * A pid file refuses the second opener with a message instead. A stale file (its process gone) is
 * taken over.
 */
export function lockDataDirectory(dataDir: string): () => void {
  const file = join(dataDir, 'steward.pid');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new Conflict(
        'db.embedded_in_use',
        `The embedded database in ${dataDir} is in use by process ${pid}. Stop that process first, or set database.url to a PostgreSQL server to run several Steward processes.`,
        { dataDir, pid },
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
