import { parseColumnType } from '../../../platform/datamap/column-type.ts';
import type { ColumnFamily } from '../../../platform/datamap/datamap-types.ts';
import { ADDRESS_CATEGORIES } from './category-map.ts';
import type { CollectionDiscovery, ColumnDiscovery, Evidence } from './discovery-types.ts';
import { lastKey, valuesByJsonPath } from './json-paths.ts';
import { nameSignals, normaliseName, type NameSignal } from './name-signals.ts';
import { valueSignals, type ValueSignal } from './value-signals.ts';

/** A sampled column: its catalog facts and the values read (text, or parsed JSON). */
export interface SampledColumn {
  name: string;
  type: string;
  values: readonly unknown[];
}

export interface SampledCollection {
  name: string;
  schema?: string;
  primaryKey: string[];
  strategy: string;
  sampledRows: number;
  columns: SampledColumn[];
}

/** A category is reported from this confidence on. */
export const REPORT_THRESHOLD = 0.5;

/** Column types a category's values can be stored in; any other type rules the category out. */
const TEXT: ColumnFamily[] = ['text', 'other', 'enum'];
const FAMILIES: Record<string, ColumnFamily[]> = {
  'user.contact.phone_number': [...TEXT, 'integer', 'decimal'],
  'user.contact.address.postal_code': [...TEXT, 'integer'],
  'user.demographic.date_of_birth': [...TEXT, 'date', 'timestamp'],
  'user.financial.credit_card': [...TEXT, 'integer', 'decimal'],
  'user.government_id.national_identification_number': [...TEXT, 'integer', 'decimal'],
  'user.device.ip_address': [...TEXT, 'binary'],
};

const PERSON_TABLE =
  /(^|_)(customers?|users?|accounts?|members?|people|persons?|employees?|contacts?|clients?|subscribers?|profiles?|patients?|students?|kunden?|benutzer|mitglieder|personen|mitarbeiter|clients?|utilisateurs?|membres?|personnes?|employes?|adherents?|recipients?|addresses|adressen|adresses|shipping|billing|applicants?|guests?|leads?)(_|$)/;
const PERSON_LINK =
  /(^|_)(customer|user|person|member|account|patient|employee|client|kunde|kunden|utilisateur|subscriber|guest)_?(id|no|nr)$/;

/**
 * Classifies every column of one sampled table (JSON columns path by path): categories with a
 * confidence from the name, the type, the values and the neighbours, and the evidence for each —
 * counts and names only. Pure: the same sample gives the same result.
 */
export function classifyCollection(sample: SampledCollection): CollectionDiscovery {
  const candidates = sample.columns.flatMap(expandJson).map(scoreColumn);
  const personContext = PERSON_TABLE.test(normaliseName(sample.name)) || candidates.some(isPersonEvidence);
  const addressColumns = candidates.filter((c) =>
    c.names.some((n) => ADDRESS_CATEGORIES.has(n.category) && n.weight >= 0.5),
  );
  const columns = candidates.map((candidate) => decide(candidate, personContext, addressColumns));
  return {
    name: sample.name,
    ...(sample.schema ? { schema: sample.schema } : {}),
    primaryKey: sample.primaryKey,
    sampledRows: sample.sampledRows,
    strategy: sample.strategy,
    columns,
  };
}

interface Candidate {
  field: string;
  path?: string;
  type: string;
  family: ColumnFamily;
  names: NameSignal[];
  values: ValueSignal[];
  sampled: number;
}

function expandJson(column: SampledColumn): (SampledColumn & { path?: string })[] {
  const family = parseColumnType(column.type).family;
  const documents = column.values.filter((v) => v !== null && v !== undefined);
  const looksJson = family === 'json' || documents.some((v) => typeof v === 'object');
  if (!looksJson) return [column];
  const paths = valuesByJsonPath(documents);
  return [...paths].map(([path, values]) => ({ name: column.name, path, type: 'text', values }));
}

function scoreColumn(column: SampledColumn & { path?: string }): Candidate {
  const values = column.values.filter((v) => v !== null && v !== undefined).map((v) => String(v));
  return {
    field: column.name,
    ...(column.path ? { path: column.path } : {}),
    type: column.type,
    family: parseColumnType(column.type).family,
    names: nameSignals(column.path ? lastKey(column.path) : column.name),
    values: valueSignals(values),
    sampled: values.length,
  };
}

/** A column that shows the rows are people: contact, name, government id or account link. */
function isPersonEvidence(candidate: Candidate): boolean {
  if (!candidate.path && PERSON_LINK.test(normaliseName(candidate.field))) return true;
  const personal = /^user\.(contact\.email|contact\.phone_number|name\.|government_id|financial)/;
  return (
    candidate.names.some((n) => n.weight >= 0.55 && personal.test(n.category)) ||
    candidate.values.some((v) => v.decisive && personal.test(v.category))
  );
}

function decide(candidate: Candidate, personContext: boolean, addressColumns: Candidate[]): ColumnDiscovery {
  const scores = new Map<string, { score: number; evidence: Evidence[] }>();
  const add = (category: string, weight: number, evidence: Evidence) => {
    const entry = scores.get(category) ?? { score: 0, evidence: [] };
    entry.score = 1 - (1 - entry.score) * (1 - Math.min(0.99, weight));
    entry.evidence.push(evidence);
    scores.set(category, entry);
  };
  for (const name of candidate.names)
    add(name.category, name.weight, { signal: 'name', token: name.token, weight: round(name.weight) });
  for (const value of candidate.values) {
    const evidence: Evidence = value.validator.startsWith('text:')
      ? { signal: 'text', detector: value.validator.slice(5), matched: value.matched, sampled: value.sampled }
      : { signal: 'values', validator: value.validator, matched: value.matched, sampled: value.sampled };
    // A person name supports whichever name field the column's name says it is.
    const targets =
      value.category === 'user.name'
        ? candidate.names.filter((n) => n.category.startsWith('user.name')).map((n) => n.category)
        : [];
    for (const category of targets.length ? targets : [value.category]) add(category, value.weight, evidence);
  }
  const neighbours = addressColumns.filter((c) => c !== candidate).map((c) => c.field);
  if (neighbours.length >= 2)
    // Neighbours back what the column's own name suggests; they never make a number an address.
    for (const category of candidate.names.map((n) => n.category).filter((c) => ADDRESS_CATEGORIES.has(c)))
      add(category, 0.3, { signal: 'neighbours', columns: neighbours });

  const ranked = [...scores]
    .map(([category, { score, evidence }]) => {
      const decisive = candidate.values.some((v) => v.decisive && v.category === category);
      let confidence = score;
      if (!familiesFor(category).includes(candidate.family) && candidate.family !== 'json') confidence = 0;
      // Addresses and names are personal where the rows are people, not for a warehouse or a product.
      if (!personContext && (ADDRESS_CATEGORIES.has(category) || category.startsWith('user.name')))
        confidence *= 0.5;
      // Most values passing a structural or checksum validator settles it, whatever the name or type.
      if (decisive) confidence = Math.max(confidence, 0.6 + 0.3 * shareOf(candidate, category));
      return { category, confidence, evidence };
    })
    .filter((entry) => entry.confidence >= REPORT_THRESHOLD)
    .sort((a, b) => b.confidence - a.confidence);
  return {
    field: candidate.field,
    ...(candidate.path ? { path: candidate.path } : {}),
    type: candidate.type,
    categories: ranked.map((entry) => entry.category),
    confidence: round(ranked[0]?.confidence ?? 0),
    evidence: ranked.length ? [...ranked[0]!.evidence, { signal: 'type', family: candidate.family }] : [],
    sampled: candidate.sampled,
  };
}

function familiesFor(category: string): ColumnFamily[] {
  return FAMILIES[category] ?? TEXT;
}

function shareOf(candidate: Candidate, category: string): number {
  const value = candidate.values.find((v) => v.category === category && v.decisive);
  return value ? value.matched / value.sampled : 0;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
