import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runSteward } from '../../../test/support/steward-process.ts';
import { CONFIG_TEMPLATE } from '../config/config-template.ts';
import { stewardConfigDefinition } from '../config/config-schema.ts';
import { loadConfig } from '../../kernel/config/load-config.ts';

test('`steward init` writes a config that loads, its JSON Schemas and an example data map; again it refuses; --force rewrites only the config', async () => {
  const folder = join(mkdtempSync(join(tmpdir(), 'steward-init-')), 'privacy');

  const first = await runSteward(['--json', 'init', folder]);
  assert.equal(first.code, 0, first.stderr);
  const files = [
    'steward.yaml',
    'schemas/steward.config.schema.json',
    'schemas/datamap.schema.json',
    'datamap/example.yaml',
  ].map((f) => join(folder, f));
  assert.deepEqual(JSON.parse(first.stdout), { written: files, kept: [] });
  assert.equal(readFileSync(join(folder, 'steward.yaml'), 'utf8'), CONFIG_TEMPLATE);
  const { config } = loadConfig(stewardConfigDefinition, { path: join(folder, 'steward.yaml'), env: {} });
  assert.equal(config.database.dataDir, join(folder, '.steward/pg'), 'paths resolve against the config file');
  const validated = await runSteward(['--config', join(folder, 'steward.yaml'), 'datamap', 'validate']);
  assert.equal(validated.code, 0, validated.stderr);

  writeFileSync(join(folder, 'steward.yaml'), 'server:\n  port: 9999\n');
  writeFileSync(join(folder, 'datamap', 'example.yaml'), '# my own systems\ntenant: default\nsystems: []\n');
  const again = await runSteward(['init', folder]);
  assert.equal(again.code, 75);
  assert.equal(
    again.stderr,
    `steward: ${join(folder, 'steward.yaml')} already exists. Use --force to overwrite it.\n`,
  );
  assert.equal(
    readFileSync(join(folder, 'steward.yaml'), 'utf8'),
    'server:\n  port: 9999\n',
    'nothing was touched',
  );

  const forced = await runSteward(['--json', 'init', '--force', folder]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual(JSON.parse(forced.stdout), { written: files.slice(0, 3), kept: [files[3]] });
  assert.equal(readFileSync(join(folder, 'steward.yaml'), 'utf8'), CONFIG_TEMPLATE);
  assert.equal(
    readFileSync(join(folder, 'datamap', 'example.yaml'), 'utf8'),
    '# my own systems\ntenant: default\nsystems: []\n',
  );
});
