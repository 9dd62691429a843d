// A deployment that starts: what the Dockerfile does — `npm ci --omit=dev` beside the built dist/ —
// and then every kind of command: the CLI, a migration, key generation, `serve` until /readyz and a
// worker. A dependency the code imports at run time but package.json lists under devDependencies
// fails here (the CLI would exit 1 on every command in the image).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPostgresDatabase } from '../support/test-database.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join('dist', 'app', 'cli', 'steward.js');

/** The environment of a production process: none of the test run's STEWARD_* or npm settings. */
function productionEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) => !name.startsWith('STEWARD_') && !name.startsWith('npm_') && name !== 'NODE_TEST_CONTEXT',
  );
  return { ...Object.fromEntries(kept), NODE_ENV: 'production', NO_COLOR: '1', ...extra };
}

describe('production install (npm ci --omit=dev, as in the Dockerfile)', () => {
  const app = mkdtempSync(join(tmpdir(), 'steward-production-'));
  let database: { url: string; drop(): Promise<void> };
  let env: NodeJS.ProcessEnv;

  before(async () => {
    assert.ok(
      existsSync(join(ROOT, BIN)),
      `${BIN} is missing: run \`npm run build\` before the tests (.ci/run does)`,
    );
    // What the image holds: package.json, the lock, the preinstall preflight and the built dist/.
    for (const file of ['package.json', 'package-lock.json', 'scripts/preflight.cjs'])
      cpSync(join(ROOT, file), join(app, file));
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    const install = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: app,
      env: productionEnv(),
      encoding: 'utf8',
      timeout: 600_000,
    });
    assert.equal(install.status, 0, `npm ci --omit=dev failed:\n${install.stdout}\n${install.stderr}`);
    database = await createPostgresDatabase('steward_prod');
    mkdirSync(join(app, 'keys'));
    env = productionEnv({
      STEWARD_DATABASE__URL: database.url,
      STEWARD_AUDIT__SIGNING_KEY_REF: `file:${join(app, 'keys', 'checkpoint-signing-key.pem')}`,
      STEWARD_AUDIT__PSEUDONYM_KEY_REF: `file:${join(app, 'keys', 'pseudonym.key')}`,
      STEWARD_AUTH__SESSION_SECRET_REF: 'env:TEST_SESSION_SECRET',
      TEST_SESSION_SECRET: 'a-production-install-test-session-secret',
    });
  });
  after(async () => {
    await database?.drop();
    rmSync(app, { recursive: true, force: true });
  });

  const steward = (args: string[]) =>
    spawnSync(process.execPath, ['--max-semi-space-size=8', BIN, ...args], {
      cwd: app,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });

  test('holds no devDependency', () => {
    const { devDependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    for (const name of ['typescript', 'vite', 'eslint', 'csv-parse'].filter((n) => n in devDependencies))
      assert.equal(existsSync(join(app, 'node_modules', name)), false, `${name} was installed`);
  });

  test('the CLI answers --version', () => {
    const result = steward(['--version']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test('migrate brings a new PostgreSQL database up to date (every module loaded)', () => {
    const result = steward(['migrate']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /_dsr_/);
    assert.equal(steward(['migrate']).status, 0, 'and again, with nothing to do');
  });

  test('audit keygen writes the keys every process shares', () => {
    const result = steward(['audit', 'keygen', '--dir', join(app, 'keys')]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(existsSync(join(app, 'keys', 'pseudonym.key')));
  });

  for (const [role, ready] of [
    ['serve', /is listening on (http:\/\/127\.0\.0\.1:\d+)/],
    ['worker', /Steward worker running/],
  ] as const) {
    test(`${role} starts${role === 'serve' ? ', answers /readyz' : ''} and stops on SIGTERM`, async () => {
      const child = spawn(
        process.execPath,
        ['--max-semi-space-size=8', BIN, role, ...(role === 'serve' ? ['--port', '0'] : [])],
        {
          cwd: app,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      const exited = once(child, 'close');
      try {
        const deadline = Date.now() + 120_000;
        while (!ready.test(out)) {
          assert.ok(child.exitCode === null, `${role} exited:\n${out}\n${err}`);
          assert.ok(Date.now() < deadline, `${role} did not start:\n${out}\n${err}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (role === 'serve') {
          const address = ready.exec(out)![1]!;
          const readyz = await fetch(`${address}/readyz`);
          assert.equal(readyz.status, 200);
        }
      } finally {
        child.kill('SIGTERM');
      }
      const [code] = await exited;
      assert.equal(code, 0, err);
    });
  }
});
