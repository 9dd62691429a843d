// `npm start`'s build step: runs `npm run build` only when something the build reads is newer than the
// last build, so a second start goes straight to the server (a full build spends ~30 s in tsc and vite).
// The build's inputs: src/ (tsc and the files it copies), web/ and packages/ (vite builds the console
// and the privacy center with the SDK), the build's own script, package.json, the lock and the tsconfigs.
// Tests are not built, so changing one needs no build. A deleted file changes its folder's mtime, so
// deletions count too. `--force` builds anyway.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
/** Written after a successful build, with the time the build started: an edit during the build counts. */
const BUILD_STAMP = join(ROOT, 'dist', '.build-stamp');
const INPUTS = [
  'src',
  'web',
  'packages',
  'scripts/finish-build.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.steward', '.git']);
const isTest = (name: string) => /\.test\.tsx?$/.test(name);

interface Newest {
  path: string;
  mtimeMs: number;
}

/** The most recently changed file or folder under `path` (the path itself included). */
function newestUnder(path: string): Newest | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  let newest: Newest = { path, mtimeMs: stats.mtimeMs };
  if (!stats.isDirectory()) return newest;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name) || (entry.isFile() && isTest(entry.name))) continue;
    const found = newestUnder(join(path, entry.name));
    if (found && found.mtimeMs > newest.mtimeMs) newest = found;
  }
  return newest;
}

/** Why a build is needed, or undefined when dist/ is up to date. */
function buildReason(): string | undefined {
  let stampMs: number;
  try {
    stampMs = statSync(BUILD_STAMP).mtimeMs;
  } catch {
    return 'no build yet';
  }
  for (const input of INPUTS) {
    const newest = newestUnder(join(ROOT, input));
    if (newest && newest.mtimeMs > stampMs) return `${relative(ROOT, newest.path)} changed`;
  }
  return undefined;
}

const reason = process.argv.includes('--force') ? 'forced' : buildReason();
if (!reason) {
  process.stderr.write(
    'Build is up to date (nothing changed since the last build; npm run build forces one).\n',
  );
} else {
  process.stderr.write(`Building (${reason})…\n`);
  const startedAt = new Date();
  // Under npm, the same npm that runs this script; else the one on the PATH.
  const npmCli = process.env.npm_execpath;
  const [command, args]: [string, string[]] = npmCli?.endsWith('.js')
    ? [process.execPath, [npmCli, 'run', 'build', '--silent']]
    : ['npm', ['run', 'build', '--silent']];
  const build = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  writeFileSync(BUILD_STAMP, `${startedAt.toISOString()}\n`);
  utimesSync(BUILD_STAMP, startedAt, startedAt);
}
