import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configSchema } from './config-schema.ts';

export const CONFIG_SCHEMA_FILE = 'steward.config.schema.json';

/** The JSON Schema of steward.yaml, derived from the same zod schema that validates it. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://steward.dev/schemas/steward.config.schema.json',
    title: 'Steward configuration (steward.yaml)',
  };
}

/** The file's exact text, so the committed copy can be compared byte for byte. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

/** Writes `steward.config.schema.json` into `folder`; returns the file. */
export function writeConfigJsonSchema(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, CONFIG_SCHEMA_FILE);
  writeFileSync(file, renderConfigJsonSchema());
  return file;
}
