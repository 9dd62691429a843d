import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { CONFIG_SCHEMA_FILE, renderConfigJsonSchema } from './config-json-schema.ts';
import { CONFIG_TEMPLATE } from './config-template.ts';

const committed = join(import.meta.dirname, '..', '..', '..', 'schemas', CONFIG_SCHEMA_FILE);

test('schemas/steward.config.schema.json is up to date with the zod schema (run `npm run schemas`)', () => {
  assert.equal(readFileSync(committed, 'utf8'), renderConfigJsonSchema());
});

test('editors using the JSON Schema accept the steward.yaml that init writes and flag a misspelt key', () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
    JSON.parse(renderConfigJsonSchema()),
  );
  const template = parse(CONFIG_TEMPLATE) as Record<string, Record<string, unknown>>;
  assert.equal(validate(template), true, JSON.stringify(validate.errors));
  assert.equal(validate({ ...template, server: { ...template.server, prot: 8080 } }), false);
  assert.equal(validate({ ...template, server: { ...template.server, port: 'eighty' } }), false);
});
