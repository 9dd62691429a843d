import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { dataMapManifestSchema } from './datamap-manifest-schema.ts';

export const DATAMAP_SCHEMA_FILE = 'datamap.schema.json';

/** The JSON Schema of a data-map file, derived from the zod schema that validates it. */
export function dataMapJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(dataMapManifestSchema, { io: 'input', target: 'draft-2020-12', reused: 'ref' }),
    $id: 'https://steward.dev/schemas/datamap.schema.json',
    title: 'Steward data map (one file of the data-map folder)',
  };
}

export function renderDataMapJsonSchema(): string {
  return `${JSON.stringify(dataMapJsonSchema(), null, 2)}\n`;
}

/** Writes `datamap.schema.json` into `folder`; returns the file. */
export function writeDataMapJsonSchema(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, DATAMAP_SCHEMA_FILE);
  writeFileSync(file, renderDataMapJsonSchema());
  return file;
}
