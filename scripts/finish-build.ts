// The last step of `npm run build` before the web apps: copies what src/ holds besides code (JSON, SQL,
// YAML, templates) into dist/, and gives dist/ its own package.json, whose `imports` point Steward's
// compiled code at the compiled SDK (dist/sdk): from src/ the root package.json maps `#steward-sdk` to
// the SDK's TypeScript source, which Node cannot run from an installed package (node_modules).
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
cpSync(join(root, 'src'), join(root, 'dist'), { recursive: true, filter: (path) => !path.endsWith('.ts') });
writeFileSync(
  join(root, 'dist', 'package.json'),
  `${JSON.stringify({ type: 'module', imports: { '#steward-sdk': './sdk/index.js' } }, null, 2)}\n`,
);
