import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const WEB_DIST = join(ROOT, 'dist', 'web');
const LOCK = join(ROOT, 'dist', '.web-build.lock');

/**
 * The built apps the server serves: `npm run build` makes them; a test run without a build makes
 * them once (vite, about two seconds), with a lock so parallel test files do not build twice.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(join(WEB_DIST, '.vite', 'manifest.json'))) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(join(WEB_DIST, '.vite', 'manifest.json'))) return;
      if (waited > 120_000) throw new Error(`waited 2 minutes for ${LOCK}; remove it if no build is running`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (existsSync(join(WEB_DIST, '.vite', 'manifest.json'))) return;
    const result = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        join(ROOT, 'web', 'vite.config.ts'),
        '--logLevel',
        'warn',
      ],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    if (result.status !== 0) throw new Error(`vite build failed (${result.status})`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
