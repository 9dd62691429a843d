// `npm run schemas`: writes every JSON Schema Steward publishes under schemas/, each derived from the
// zod schema that validates the same input. Tests fail when a committed file is out of date.
import { join } from 'node:path';
import { writeConfigJsonSchema } from '../src/app/config/config-json-schema.ts';
import { writeDataMapJsonSchema } from '../src/platform/datamap/datamap-json-schema.ts';
import { writeFlowJsonSchema } from '../src/modules/retention/use-cases/flows/flow-json-schema.ts';

const folder = join(import.meta.dirname, '..', 'schemas');
for (const write of [writeConfigJsonSchema, writeDataMapJsonSchema, writeFlowJsonSchema]) {
  console.log(`wrote ${write(folder)}`);
}
