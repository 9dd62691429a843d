import type {
  DataMapFinding,
  FindingRule,
  FindingSource,
} from '../../../platform/datamap/findings/datamap-finding.ts';
import type { DriftCode } from './drift.ts';
import type { LocatedFinding } from './finding-lines.ts';

// Personal data the data map does not declare is missing from the record of processing (GDPR
// Art. 30(1)(c): the categories of personal data) and out of reach of access and erasure requests.
const RULES: Record<DriftCode, FindingRule> = {
  'discovery.undeclared_collection': {
    id: 'discovery.undeclared_collection',
    title: 'A table or log holds personal data that no collection of the data map declares',
    severity: 'error',
    reference: 'GDPR Art. 30(1)(c), Art. 5(2)',
  },
  'discovery.undeclared_field': {
    id: 'discovery.undeclared_field',
    title: 'A column holds personal data that no field of its collection declares',
    severity: 'error',
    reference: 'GDPR Art. 30(1)(c), Art. 5(2)',
  },
  'discovery.category_mismatch': {
    id: 'discovery.category_mismatch',
    title: "A declared field's values belong to a data category the field does not list",
    severity: 'warning',
    reference: 'GDPR Art. 30(1)(c)',
  },
};

/** The drift check's rules in the shape `steward datamap check` reports. */
export const DRIFT_RULES: readonly FindingRule[] = Object.values(RULES);

/** Drift findings, located in their data-map files, as the platform's common findings. */
export function driftFindingSource(located: readonly LocatedFinding[], scope: string): FindingSource {
  return {
    source: 'drift',
    title: 'The data map against the data (sampled)',
    scope,
    rules: DRIFT_RULES,
    findings: located.map(toDataMapFinding),
  };
}

function toDataMapFinding({ finding, line }: LocatedFinding): DataMapFinding {
  const path = `systems[${finding.system}].collections[${finding.collection}]${finding.field ? `.fields[${finding.field}]` : ''}`;
  return {
    rule: finding.code,
    severity: finding.severity,
    file: finding.file,
    line,
    path,
    subject: [finding.system, finding.collection, finding.field].filter(Boolean).join('.'),
    message: finding.message,
    fix: FIX[finding.code](finding.system),
    reference: RULES[finding.code].reference,
    properties: {
      categories: finding.categories,
      confidence: finding.confidence,
    },
  };
}

const FIX: Record<DriftCode, (system: string) => string> = {
  'discovery.undeclared_collection': (system) =>
    `declare the collection with its fields and categories (steward discover ${system} --diff proposes it)`,
  'discovery.undeclared_field': (system) =>
    `declare the field with its category (steward discover ${system} --diff proposes it)`,
  'discovery.category_mismatch': (system) =>
    `add the category to the field if it holds such data (steward discover ${system} --diff proposes it), or correct the data`,
};
