import { readFileSync } from 'node:fs';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

// The OASIS SARIF 2.1.0 schema (draft-04), vendored with its source and licence note beside it.
const SCHEMA = JSON.parse(
  readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
) as object;

let validate: ValidateFunction | undefined;

/** The schema errors of a SARIF log, as `path: message` lines; empty when the log is valid SARIF 2.1.0. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!validate) {
    // CommonJS packages: their class and plugin are the `default` export under Node's ESM loader.
    const ajv = new Ajv04.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    validate = ajv.compile(SCHEMA);
  }
  return validate(log)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? e.keyword}`);
}
