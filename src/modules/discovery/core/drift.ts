import type { DataMapCollection, DataMapSystem } from '../../../platform/datamap/datamap-types.ts';
import {
  declaredName,
  type CollectionDiscovery,
  type ColumnDiscovery,
  type DiscoveryResult,
} from './discovery-types.ts';

/** A field as discovery proposes to declare it: categories to confirm, marked for review. */
export interface ProposedField {
  name: string;
  /** A guess for a new collection: its e-mail (or phone) column is how a request finds its rows. */
  identity?: string;
  categories: string[];
  review: true;
}

/** One change to the data map file, as plain data (applied by `datamap-patch.ts`). */
export type DataMapChange =
  | {
      kind: 'add_collection';
      system: string;
      collection: {
        name: string;
        schema?: string;
        primaryKey: string[];
        files?: { glob: string; format: 'jsonl' | 'text' };
        fields: ProposedField[];
      };
    }
  | { kind: 'add_field'; system: string; collection: string; field: ProposedField }
  | { kind: 'set_categories'; system: string; collection: string; field: string; categories: string[] };

export type DriftCode =
  'discovery.undeclared_collection' | 'discovery.undeclared_field' | 'discovery.category_mismatch';

/** A difference between what the data map declares and what the data holds. */
export interface DriftFinding {
  code: DriftCode;
  severity: 'error' | 'warning';
  system: string;
  collection: string;
  field?: string;
  /** What was found: categories and confidence; never a value. */
  categories: string[];
  confidence: number;
  message: string;
  /** The data-map file the change goes into. */
  file: string;
  change: DataMapChange;
}

/**
 * Compares a discovery run with the system as the data map declares it: tables with personal data
 * that no collection declares, personal columns no field declares, and declared fields whose values
 * say they hold a category the field does not list. Pure.
 */
export function findDrift(system: DataMapSystem, result: DiscoveryResult): DriftFinding[] {
  const findings: DriftFinding[] = [];
  for (const discovered of result.collections) {
    const personal = discovered.columns.filter((c) => c.categories.length);
    if (!personal.length) continue;
    const declared = system.collections.find(
      (c) => c.name === discovered.name && (c.schema ?? undefined) === (discovered.schema ?? undefined),
    );
    if (!declared) {
      findings.push(undeclaredCollection(system, discovered, personal));
      continue;
    }
    for (const column of personal) {
      const finding = columnDrift(system, declared, column);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

function undeclaredCollection(
  system: DataMapSystem,
  discovered: CollectionDiscovery,
  personal: ColumnDiscovery[],
): DriftFinding {
  const fields = proposedFields(discovered, personal);
  const top = personal.reduce((best, c) => (c.confidence > best.confidence ? c : best));
  return {
    code: 'discovery.undeclared_collection',
    severity: 'error',
    system: system.id,
    collection: discovered.name,
    categories: [...new Set(fields.flatMap((f) => f.categories))],
    confidence: top.confidence,
    message: `${discovered.name} holds personal data in ${personal.length} field(s) (${personal.map(declaredName).join(', ')}) but no collection of ${system.id} declares it`,
    file: system.source,
    change: {
      kind: 'add_collection',
      system: system.id,
      collection: {
        name: discovered.name,
        ...(discovered.schema ? { schema: discovered.schema } : {}),
        primaryKey: discovered.primaryKey,
        ...(discovered.files ? { files: discovered.files } : {}),
        fields,
      },
    },
  };
}

function columnDrift(
  system: DataMapSystem,
  collection: DataMapCollection,
  column: ColumnDiscovery,
): DriftFinding | undefined {
  // A JSON path is declared either as its own field (`payload.contact.email`) or on its column.
  const exact = collection.fields.find((f) => f.name === declaredName(column));
  const field = exact ?? (column.path ? collection.fields.find((f) => f.name === column.field) : undefined);
  const base = {
    system: system.id,
    collection: collection.name,
    categories: column.categories,
    confidence: column.confidence,
    file: collection.source,
  };
  if (!field) {
    const name = declaredName(column);
    return {
      ...base,
      code: 'discovery.undeclared_field',
      severity: 'error',
      field: name,
      message: `${collection.name}.${name} holds ${column.categories[0]} (confidence ${column.confidence}) but is not declared`,
      change: {
        kind: 'add_field',
        system: system.id,
        collection: collection.name,
        field: { name, categories: [column.categories[0]!], review: true },
      },
    };
  }
  const found = column.categories[0]!;
  if (field.categories.some((declared) => related(declared, found))) return undefined;
  return {
    ...base,
    code: 'discovery.category_mismatch',
    // Declared as not personal at all: an error; declared as something else: a human decides.
    severity: field.categories.length ? 'warning' : 'error',
    field: field.name,
    message: field.categories.length
      ? `${collection.name}.${field.name} is declared as ${field.categories.join(', ')} but its data says ${found} (confidence ${column.confidence})`
      : `${collection.name}.${field.name} is declared as holding no personal data but its data says ${found} (confidence ${column.confidence})`,
    change: {
      kind: 'set_categories',
      system: system.id,
      collection: collection.name,
      field: field.name,
      categories: [...field.categories, found],
    },
  };
}

/** Same category, or one is a broader taxonomy key of the other (`user.name` and `user.name.first`). */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

const IDENTITY_OF: Record<string, string> = {
  'user.contact.email': 'email',
  'user.contact.phone_number': 'phone',
};

/**
 * The fields of a new collection: its primary key (validation requires it among the fields), each
 * personal column with its best category, and an identity guess on the first e-mail (else phone)
 * column so the collection is reachable by requests. All marked for review.
 */
function proposedFields(discovered: CollectionDiscovery, personal: ColumnDiscovery[]): ProposedField[] {
  const fields: ProposedField[] = discovered.primaryKey
    .filter((key) => !personal.some((c) => declaredName(c) === key))
    .map((key) => ({ name: key, categories: [], review: true }));
  const identityColumn =
    personal.find((c) => c.categories[0] === 'user.contact.email' && !c.path) ??
    personal.find((c) => c.categories[0] === 'user.contact.phone_number' && !c.path);
  for (const column of personal) {
    const identity = column === identityColumn ? IDENTITY_OF[column.categories[0]!] : undefined;
    fields.push({
      name: declaredName(column),
      ...(identity ? { identity } : {}),
      categories: [column.categories[0]!],
      review: true,
    });
  }
  return fields;
}
