// `npm start` builds only when something the build reads changed since the last build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'build-if-changed.ts');

/** A project whose `npm run build` counts its runs in builds.log (and fails while FAIL exists). */
function aProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'steward-build-if-changed-'));
  mkdirSync(join(root, 'scripts'));
  cpSync(SCRIPT, join(root, 'scripts', 'build-if-changed.ts'));
  const build =
    "const fs = require('node:fs'); if (fs.existsSync('FAIL')) process.exit(2); fs.appendFileSync('builds.log', 'built\\n'); fs.mkdirSync('dist', { recursive: true });";
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'p', private: true, scripts: { build: `node -e "${build}"` } }),
  );
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 1;\n');
  writeFileSync(join(root, 'src', 'a.test.ts'), '// a test\n');
  // A checkout made an hour ago: its files are older than any build the test makes.
  const anHourAgo = new Date(Date.now() - 3600_000);
  for (const path of [
    'scripts/build-if-changed.ts',
    'scripts',
    'package.json',
    'src/a.ts',
    'src/b.ts',
    'src/a.test.ts',
    'src',
  ])
    utimesSync(join(root, path), anHourAgo, anHourAgo);
  return root;
}

function start(root: string) {
  const result = spawnSync(process.execPath, ['scripts/build-if-changed.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  const builds = existsSync(join(root, 'builds.log'))
    ? readFileSync(join(root, 'builds.log'), 'utf8').split('\n').filter(Boolean).length
    : 0;
  return { status: result.status, said: result.stderr, builds };
}

/** As if the last build had been 10 s ago with nothing changed since: what is written now came after it. */
function lastBuiltAgo(root: string) {
  const tenSecondsAgo = new Date(Date.now() - 10_000);
  const before = new Date(Date.now() - 20_000);
  for (const path of [
    'package.json',
    'src',
    ...readdirSync(join(root, 'src')).map((name) => join('src', name)),
  ])
    utimesSync(join(root, path), before, before);
  utimesSync(join(root, 'dist', '.build-stamp'), tenSecondsAgo, tenSecondsAgo);
}

describe('build-if-changed', () => {
  let root: string;
  before(() => {
    root = aProject();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('builds on the first start', () => {
    const first = start(root);
    assert.equal(first.status, 0, first.said);
    assert.match(first.said, /Building \(no build yet\)/);
    assert.equal(first.builds, 1);
  });

  it('does not build again when nothing changed', () => {
    const second = start(root);
    assert.equal(second.status, 0);
    assert.match(second.said, /Build is up to date/);
    assert.equal(second.builds, 1);
  });

  it('ignores a changed test, which the build does not read', () => {
    lastBuiltAgo(root);
    writeFileSync(join(root, 'src', 'a.test.ts'), '// a test, changed\n');
    assert.equal(start(root).builds, 1);
  });

  it('builds when a source file changed, and names it', () => {
    lastBuiltAgo(root);
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 2;\n');
    const run = start(root);
    assert.match(run.said, /Building \(src\/a\.ts changed\)/);
    assert.equal(run.builds, 2);
  });

  it('builds when package.json changed', () => {
    lastBuiltAgo(root);
    writeFileSync(join(root, 'package.json'), readFileSync(join(root, 'package.json')));
    const run = start(root);
    assert.match(run.said, /Building \(package\.json changed\)/);
    assert.equal(run.builds, 3);
  });

  it('builds when a source file was deleted', () => {
    lastBuiltAgo(root);
    rmSync(join(root, 'src', 'b.ts'));
    const run = start(root);
    assert.match(run.said, /Building \(src changed\)/);
    assert.equal(run.builds, 4);
  });

  it('a failed build fails the start and is tried again next time', () => {
    lastBuiltAgo(root);
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 3;\n');
    writeFileSync(join(root, 'FAIL'), '');
    const failed = start(root);
    assert.equal(failed.status, 2);
    assert.equal(failed.builds, 4);
    rmSync(join(root, 'FAIL'));
    const retried = start(root);
    assert.equal(retried.status, 0);
    assert.equal(retried.builds, 5);
    assert.match(start(root).said, /Build is up to date/);
  });
});
