/**
 * The CLI's first import (src/app/cli/steward.ts): on a Node older than Steward's dependencies
 * need, it prints one line saying which Node is needed and how to get it, and exits 1 — before any
 * other module is evaluated, so the newcomer never sees a dependency's stack trace (undici on Node
 * 20: "Cannot read properties of undefined (reading 'bind')"). It imports nothing, and uses nothing
 * newer than the Node it refuses. The same check runs at `npm install` and `npm start`
 * (scripts/preflight.cjs); scripts/preflight.test.ts keeps both and package.json `engines` in step.
 */

/** The oldest Node every dependency supports (undici 8: 22.19; react-router, in the build: 22.22). */
export const MINIMUM_NODE = '22.22.0';

function versionParts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((part) => parseInt(part, 10) || 0);
}

function isOlderThan(version: string, minimum: string): boolean {
  const a = versionParts(version);
  const b = versionParts(minimum);
  for (let i = 0; i < 3; i += 1) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

/** The npm registry carries Node itself as node-<os>-<cpu> packages (the binary only). */
function installHint(platform: string, arch: string): string {
  const os = ({ linux: 'linux', darwin: 'darwin', win32: 'win' } as Record<string, string>)[platform];
  const packaged = os !== undefined && (arch === 'x64' || arch === 'arm64');
  const viaNpm = packaged ? `npm install -g node-${os}-${arch}@24 (then open a new shell), or ` : '';
  return `Get Node 24: ${viaNpm}https://nodejs.org/en/download`;
}

/** The one line for an unsupported Node, or undefined when this one is supported. */
export function unsupportedNodeMessage(version: string, platform: string, arch: string): string | undefined {
  if (!isOlderThan(version, MINIMUM_NODE)) return undefined;
  return `Steward needs Node.js ${MINIMUM_NODE} or later; this is Node.js ${version.replace(/^v/, '')}. ${installHint(platform, arch)}`;
}

// STEWARD_TEST_NODE_VERSION lets the test play an old Node on a new one; nothing else sets it.
const message = unsupportedNodeMessage(
  process.env.STEWARD_TEST_NODE_VERSION || process.versions.node,
  process.platform,
  process.arch,
);
if (message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
