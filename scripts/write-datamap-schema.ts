// Writes schemas/datamap.schema.json from the zod schema (`npm run schemas:datamap`).
// src/datamap/datamap-json-schema.test.ts fails when the committed file is out of date.
import { join } from 'node:path';
import { writeDataMapJsonSchema } from '../src/datamap/datamap-json-schema.ts';

const file = writeDataMapJsonSchema(join(import.meta.dirname, '..', 'schemas'));
console.log(`wrote ${file}`);
