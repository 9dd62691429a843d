// Writes schemas/datamap.schema.json from the zod schema (`npm run schemas:datamap`), formatted the
// way `prettier --check` expects. src/datamap/datamap-json-schema.test.ts fails when it is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { DATAMAP_SCHEMA_FILE, renderDataMapJsonSchema } from '../src/platform/datamap/datamap-json-schema.ts';

const file = join(import.meta.dirname, '..', 'schemas', DATAMAP_SCHEMA_FILE);
const options = (await prettier.resolveConfig(file)) ?? {};
writeFileSync(file, await prettier.format(renderDataMapJsonSchema(), { ...options, filepath: file }));
console.log(`wrote ${file}`);
