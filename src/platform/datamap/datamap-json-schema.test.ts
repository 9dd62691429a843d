import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { renderDataMapJsonSchema } from './datamap-json-schema.ts';
import { EXAMPLE_DATAMAP_YAML } from './example-datamap.ts';

const committed = join(import.meta.dirname, '..', '..', '..', 'schemas', 'datamap.schema.json');

test('schemas/datamap.schema.json is up to date with the zod schema (run `npm run schemas:datamap`)', () => {
  // Compared as data: the committed file is formatted by prettier, the generator's output is not.
  assert.deepEqual(JSON.parse(readFileSync(committed, 'utf8')), JSON.parse(renderDataMapJsonSchema()));
});

test('editors using the JSON Schema accept the example and flag a plain password', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(renderDataMapJsonSchema()));
  assert.equal(validate(parse(EXAMPLE_DATAMAP_YAML)), true, JSON.stringify(validate.errors));
  const withPassword = parse(
    EXAMPLE_DATAMAP_YAML.replace('url: env:SHOP_DB_URL', 'host: db\n      password: hunter2'),
  );
  assert.equal(validate(withPassword), false);
});
