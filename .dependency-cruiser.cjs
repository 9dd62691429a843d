/**
 * The layering of src/ (CONTRIBUTING.md): app → workflows → modules → platform → kernel. Each rule
 * says what a folder may not import; `npm run check:architecture` (and .ci/run) fails on any breach.
 * Type-only imports count: a type is a dependency as much as a value.
 */
/**
 * Tests beside the code are examples of use against the real app: they may start it (src/app) and
 * use test/support, but they too reach another module only through its api.ts.
 */
const TESTS = ['\\.test\\.ts$', '/test-support/'];

module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-only-kernel',
      comment:
        'The kernel (config, database, jobs, HTTP, CLI, the module contract) knows nothing of what runs on it.',
      severity: 'error',
      from: { path: '^src/kernel/', pathNot: TESTS },
      to: { path: '^src/(platform|modules|workflows|app)/' },
    },
    {
      name: 'platform-imports-only-kernel-and-platform',
      comment:
        'Platform services (auth, audit, events, secrets, data map, connectors, taxonomy, erasure, pii) are used by modules, never the reverse.',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: TESTS },
      to: { path: '^src/(modules|workflows|app)/' },
    },
    {
      name: 'modules-never-import-each-other',
      comment:
        "A module reaches another only through that module's api.ts; processes spanning modules are workflows.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/api\\.ts$'] },
    },
    {
      name: 'modules-below-workflows-and-app',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: TESTS },
      to: { path: '^src/(workflows|app)/' },
    },
    {
      name: 'workflows-use-modules-through-api',
      comment: 'Workflows orchestrate modules through their public api.ts only.',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/api\\.ts$' },
    },
    {
      name: 'workflows-below-app',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'production-code-never-imports-tests',
      comment: "Test helpers live under test/ or a module's test-support/; nothing of them ships.",
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '/test-support/'] },
      to: { path: ['^test/', '/test-support/', '\\.test\\.ts$'] },
    },
    {
      name: 'packages-stand-alone',
      comment:
        'Published packages (SDK, consent client) are installed on their own: they import nothing of src/.',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['node_modules', '^dist/', '^web/'] },
  },
};
