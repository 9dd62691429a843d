import type { DriftCode, DriftFinding } from './drift.ts';

const RULES: Record<DriftCode, string> = {
  'discovery.undeclared_collection':
    'A table or log holds personal data that no collection of the data map declares.',
  'discovery.undeclared_field': 'A column holds personal data that no field of its collection declares.',
  'discovery.category_mismatch':
    "A declared field's values belong to a data category the field does not list.",
};

/** A finding with the data-map file (relative, as CI shows it) and line it points at. */
export interface LocatedFinding {
  finding: DriftFinding;
  path: string;
  line: number;
}

/** SARIF 2.1.0 for code-scanning uploads: one result per finding, located in the data-map file. */
export function renderSarif(findings: readonly LocatedFinding[], toolVersion: string): string {
  const used = [...new Set(findings.map((f) => f.finding.code))].sort();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'steward-discovery',
            version: toolVersion,
            rules: used.map((id) => ({ id, shortDescription: { text: RULES[id] } })),
          },
        },
        results: findings.map(({ finding, path, line }) => ({
          ruleId: finding.code,
          ruleIndex: used.indexOf(finding.code),
          level: finding.severity,
          message: { text: finding.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: path }, region: { startLine: line } } }],
          properties: {
            system: finding.system,
            collection: finding.collection,
            field: finding.field,
            categories: finding.categories,
            confidence: finding.confidence,
          },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
