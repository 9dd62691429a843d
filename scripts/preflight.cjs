'use strict';
// Steward's Node.js preflight, run by `npm install` (preinstall) and `npm start` before anything else.
// Plain CommonJS with nothing newer than Node 8 syntax, so that it runs on the old Node it refuses:
// the newcomer gets one line saying what is needed and how to get it, not a dependency's stack trace.
// The CLI makes the same check when it starts (src/kernel/runtime/supported-node.ts); keep the two,
// and package.json `engines`, in step (scripts/preflight.test.ts checks that they are).

// The oldest Node every dependency supports: undici 8 needs 22.19 at run time, react-router (built
// into the console by `npm run build`) 22.22; pg-boss and commander 22.12.
const MINIMUM_NODE = '22.22.0';

function versionParts(version) {
  return String(version)
    .replace(/^v/, '')
    .split('.')
    .map(function (part) {
      return parseInt(part, 10) || 0;
    });
}

function isOlderThan(version, minimum) {
  const a = versionParts(version);
  const b = versionParts(minimum);
  for (let i = 0; i < 3; i += 1) {
    if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) < (b[i] || 0);
  }
  return false;
}

// The npm registry carries Node itself as node-<os>-<cpu> packages (the binary only).
function installHint(platform, arch) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[platform];
  const packaged = os && (arch === 'x64' || arch === 'arm64');
  const viaNpm = packaged
    ? 'npm install -g node-' + os + '-' + arch + '@24 (then open a new shell), or '
    : '';
  return 'Get Node 24: ' + viaNpm + 'https://nodejs.org/en/download';
}

/** The one line for an unsupported Node, or undefined when this one is supported. */
function unsupportedNodeMessage(version, platform, arch) {
  if (!isOlderThan(version, MINIMUM_NODE)) return undefined;
  return (
    'Steward needs Node.js ' +
    MINIMUM_NODE +
    ' or later; this is Node.js ' +
    String(version).replace(/^v/, '') +
    '. ' +
    installHint(platform, arch)
  );
}

module.exports = { MINIMUM_NODE: MINIMUM_NODE, unsupportedNodeMessage: unsupportedNodeMessage };

if (require.main === module) {
  // STEWARD_TEST_NODE_VERSION lets the test play an old Node on a new one; nothing else sets it.
  const version = process.env.STEWARD_TEST_NODE_VERSION || process.versions.node;
  const message = unsupportedNodeMessage(version, process.platform, process.arch);
  if (message) {
    process.stderr.write(message + '\n');
    process.exit(1);
  }
}
