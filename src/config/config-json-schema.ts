import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema } from './config-schema.ts';

/** The JSON Schema of steward.yaml, derived from the same zod schema that validates it. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://steward.dev/schemas/steward.config.schema.json',
    title: 'Steward configuration (steward.yaml)',
  };
}

export function writeConfigJsonSchema(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'steward.config.schema.json');
  writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return file;
}
