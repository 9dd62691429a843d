import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { STEWARD_V8_FLAGS } from './v8-flags.ts';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

test('every way Steward is started runs node with STEWARD_V8_FLAGS: the bin, the Docker image and npm start', () => {
  assert.equal(
    read('src/app/cli/steward.ts').split('\n')[0],
    `#!/usr/bin/env -S node ${STEWARD_V8_FLAGS.join(' ')}`,
  );
  const entryPoint = /^ENTRYPOINT (\[.*\])$/m.exec(read('Dockerfile'));
  assert.ok(entryPoint, 'the Dockerfile has an exec-form ENTRYPOINT');
  assert.deepEqual(JSON.parse(entryPoint[1]!), [
    '/usr/bin/tini',
    '--',
    'node',
    ...STEWARD_V8_FLAGS,
    '/app/dist/app/cli/steward.js',
  ]);
  const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  assert.match(scripts.start!, new RegExp(`node ${STEWARD_V8_FLAGS.join(' ')} dist/app/cli/steward\\.js`));
});
