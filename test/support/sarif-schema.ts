import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

/**
 * What SARIF 2.1.0 (OASIS, sections 3.13–3.33) and GitHub code scanning's upload require of the
 * parts a Steward log uses: a log with version and runs, each run's tool driver (name, rules with
 * ids), and results with a rule id, a level from the spec's enumeration, a message text and
 * physical locations (an artifact URI, a 1-based region). Written from the specification for these
 * tests (no copy of the OASIS schema file); SARIF allows other properties everywhere, and so does this.
 */
const LEVEL = { enum: ['none', 'note', 'warning', 'error'] };
const MESSAGE = {
  type: 'object',
  required: ['text'],
  properties: { text: { type: 'string', minLength: 1 } },
};
const REGION = {
  type: 'object',
  properties: {
    startLine: { type: 'integer', minimum: 1 },
    startColumn: { type: 'integer', minimum: 1 },
    endLine: { type: 'integer', minimum: 1 },
    endColumn: { type: 'integer', minimum: 1 },
  },
};
const LOCATION = {
  type: 'object',
  properties: {
    physicalLocation: {
      type: 'object',
      required: ['artifactLocation'],
      properties: {
        artifactLocation: {
          type: 'object',
          required: ['uri'],
          properties: { uri: { type: 'string', minLength: 1 }, uriBaseId: { type: 'string' } },
        },
        region: REGION,
      },
    },
  },
};
const RULE = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    shortDescription: MESSAGE,
    fullDescription: MESSAGE,
    helpUri: { type: 'string', format: 'uri' },
    defaultConfiguration: { type: 'object', properties: { level: LEVEL } },
  },
};
const RESULT = {
  type: 'object',
  required: ['message'],
  anyOf: [{ required: ['ruleId'] }, { required: ['rule'] }],
  properties: {
    ruleId: { type: 'string', minLength: 1 },
    ruleIndex: { type: 'integer', minimum: -1 },
    level: LEVEL,
    kind: { enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] },
    message: MESSAGE,
    locations: { type: 'array', items: LOCATION },
    partialFingerprints: { type: 'object', additionalProperties: { type: 'string' } },
  },
};
const SARIF_LOG = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', format: 'uri' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  version: { type: 'string' },
                  semanticVersion: { type: 'string' },
                  informationUri: { type: 'string', format: 'uri' },
                  rules: { type: 'array', items: RULE },
                },
              },
            },
          },
          results: { type: 'array', items: RESULT },
        },
      },
    },
  },
};

let validate: ValidateFunction | undefined;

/** The schema errors of a SARIF log, as `path: message` lines; empty when the log is valid for these tests. */
export function sarifSchemaErrors(log: unknown): string[] {
  // `format: uri` is checked by a URL parse rather than a formats plugin.
  validate ??= new Ajv({
    allErrors: true,
    strict: false,
    formats: { uri: (value: string) => URL.canParse(value) },
  }).compile(SARIF_LOG);
  const errors = validate(log)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? e.keyword}`);
  // Each result's ruleIndex, when given, points at the rule with its ruleId (§3.27.6).
  for (const [r, run] of ((log as { runs?: SarifRun[] }).runs ?? []).entries())
    for (const [i, result] of (run.results ?? []).entries())
      if (
        result.ruleIndex !== undefined &&
        result.ruleIndex >= 0 &&
        run.tool?.driver?.rules?.[result.ruleIndex]?.id !== result.ruleId
      )
        errors.push(
          `/runs/${r}/results/${i}: ruleIndex ${result.ruleIndex} does not name rule ${result.ruleId}`,
        );
  return errors;
}

interface SarifRun {
  tool?: { driver?: { rules?: Array<{ id?: string }> } };
  results?: Array<{ ruleId?: string; ruleIndex?: number }>;
}
