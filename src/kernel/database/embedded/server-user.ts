import { spawnSync } from 'node:child_process';
import { Unavailable } from '../../errors/domain-error.ts';

/**
 * How to launch a PostgreSQL program so that it does not run as root, which PostgreSQL refuses.
 * As an ordinary user: directly. As root: inside a new user namespace where root is mapped to an
 * unprivileged id (`unshare --user --map-user`), so the server owns the data directory Steward's
 * files are in and can reach it through folders only root may enter (a fresh `mktemp -d`), without
 * changing any file's owner or permissions on the machine.
 */
export interface ServerLaunch {
  command: string;
  prefix: string[];
}

/** `nobody`: an unprivileged id with a passwd entry on every Linux system (initdb looks its name up). */
const MAPPED_ID = 65534;

let cached: ServerLaunch | undefined;

export function serverLaunch(): ServerLaunch {
  if (cached) return cached;
  if (process.getuid?.() !== 0) return (cached = { command: '', prefix: [] });
  const prefix = ['--user', `--map-user=${MAPPED_ID}`, `--map-group=${MAPPED_ID}`, '--'];
  const probe = spawnSync('unshare', [...prefix, 'true'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    throw new Unavailable(
      'db.embedded_as_root',
      "Steward's embedded PostgreSQL cannot run as root, and this machine does not allow user namespaces (unshare --user) to drop the privilege: run Steward as an ordinary user, or set database.url to a PostgreSQL server.",
    );
  }
  return (cached = { command: 'unshare', prefix });
}

/** The argv to spawn `program args…` as decided by serverLaunch(). */
export function launchArgs(program: string, args: string[]): { file: string; args: string[] } {
  const launch = serverLaunch();
  return launch.command
    ? { file: launch.command, args: [...launch.prefix, program, ...args] }
    : { file: program, args };
}
