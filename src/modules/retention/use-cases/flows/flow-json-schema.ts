import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { flowSchema } from './flow-schema.ts';

export const FLOW_SCHEMA_FILE = 'flow.schema.json';

/** The JSON Schema of a privacy-flow file, derived from the zod schema that validates it. */
export function flowJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(flowSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: 'https://steward.dev/schemas/flow.schema.json',
    title: 'Steward privacy flow (one file of the flows folder)',
  };
}

export function renderFlowJsonSchema(): string {
  return `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;
}

/** Writes `flow.schema.json` into `folder`; returns the file. */
export function writeFlowJsonSchema(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, FLOW_SCHEMA_FILE);
  writeFileSync(file, renderFlowJsonSchema());
  return file;
}
