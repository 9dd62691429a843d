import type { DataMap, DataMapCollection } from '../../../platform/datamap/datamap-types.ts';
import type { ProcessingActivity } from './processing-activities.ts';
import { formatLocation, type DataMapLocations, type SourceLocation } from './source-location.ts';
import { describeBasis, type TransferFlow } from './transfer-flows.ts';

/** The fields of a record of processing activities. */
export type RopaFieldKey =
  | 'controller'
  | 'jointControllers'
  | 'representative'
  | 'dpo'
  | 'purposes'
  | 'dataSubjects'
  | 'dataCategories'
  | 'recipients'
  | 'transfers'
  | 'erasureTimeLimits'
  | 'securityMeasures'
  | 'processorControllers'
  | 'processingCategories';

/** The article point each field answers, and its label in exports. */
export const CONTROLLER_FIELDS: readonly { key: RopaFieldKey; article: string; label: string }[] = [
  { key: 'controller', article: 'Art. 30(1)(a)', label: 'Name and contact details of the controller' },
  { key: 'jointControllers', article: 'Art. 30(1)(a)', label: 'Joint controllers' },
  { key: 'representative', article: 'Art. 30(1)(a)', label: "Controller's representative" },
  { key: 'dpo', article: 'Art. 30(1)(a)', label: 'Data protection officer' },
  {
    key: 'purposes',
    article: 'Art. 30(1)(b)',
    label: 'Purposes of the processing (with legal basis, Art. 6(1))',
  },
  { key: 'dataSubjects', article: 'Art. 30(1)(c)', label: 'Categories of data subjects' },
  { key: 'dataCategories', article: 'Art. 30(1)(c)', label: 'Categories of personal data' },
  {
    key: 'recipients',
    article: 'Art. 30(1)(d)',
    label: 'Categories of recipients, including in third countries',
  },
  { key: 'transfers', article: 'Art. 30(1)(e)', label: 'Transfers to third countries and their safeguards' },
  { key: 'erasureTimeLimits', article: 'Art. 30(1)(f)', label: 'Time limits for erasure' },
  {
    key: 'securityMeasures',
    article: 'Art. 30(1)(g)',
    label: 'Technical and organisational security measures (Art. 32(1))',
  },
];

export const PROCESSOR_FIELDS: readonly { key: RopaFieldKey; article: string; label: string }[] = [
  { key: 'controller', article: 'Art. 30(2)(a)', label: 'Name and contact details of the processor' },
  {
    key: 'processorControllers',
    article: 'Art. 30(2)(a)',
    label: 'Controllers on whose behalf the processor acts',
  },
  { key: 'representative', article: 'Art. 30(2)(a)', label: 'Representative' },
  { key: 'dpo', article: 'Art. 30(2)(a)', label: 'Data protection officer' },
  {
    key: 'processingCategories',
    article: 'Art. 30(2)(b)',
    label: 'Categories of processing carried out on behalf of each controller',
  },
  { key: 'transfers', article: 'Art. 30(2)(c)', label: 'Transfers to third countries and their safeguards' },
  {
    key: 'securityMeasures',
    article: 'Art. 30(2)(d)',
    label: 'Technical and organisational security measures (Art. 32(1))',
  },
];

/** Where a field's text came from. */
export type Provenance =
  { kind: 'generated'; from: string[] } | { kind: 'manual'; by: string; at: string } | { kind: 'missing' };

export interface RopaField {
  key: RopaFieldKey;
  article: string;
  label: string;
  lines: string[];
  provenance: Provenance;
  /** When a hand-written text replaces generated lines, what the data map says now. */
  generated?: string[];
}

export interface RopaEntry {
  /** `controller:<data use>` or `processor:<data use>`. */
  id: string;
  role: 'controller' | 'processor';
  name: string;
  systems: string[];
  fields: RopaField[];
}

/** A record of processing activities as of one generation (Art. 30; kept in writing, 30(3)). */
export interface RecordOfProcessing {
  tenantId: string;
  generatedAt: string;
  sources: string[];
  entries: RopaEntry[];
}

/** A hand-written field: for one entry, or for every entry (`entryId` = `*`, e.g. the controller's address). */
export interface ManualRopaField {
  entryId: string;
  field: RopaFieldKey;
  lines: string[];
  by: string;
  at: string;
}

export interface RopaInput {
  tenantId: string;
  dataMap: DataMap;
  activities: readonly ProcessingActivity[];
  flows: readonly TransferFlow[];
  manual: readonly ManualRopaField[];
  locations: DataMapLocations;
  generatedAt: Date;
  /** The taxonomy's name of a key, e.g. `essential.service.payment_processing` → "Payment Processing". */
  nameOf?: (kind: 'use' | 'category' | 'subject', key: string) => string | undefined;
}

const BASIS_ARTICLES = {
  consent: 'Art. 6(1)(a) consent',
  contract: 'Art. 6(1)(b) contract',
  legal_obligation: 'Art. 6(1)(c) legal obligation',
  vital_interests: 'Art. 6(1)(d) vital interests',
  public_task: 'Art. 6(1)(e) public task',
  legitimate_interests: 'Art. 6(1)(f) legitimate interests',
} as const;

/**
 * Generates the record of processing from the data map: every Art. 30(1) field of each controller
 * activity and every Art. 30(2) field of each processor activity, generated where the data map
 * knows the answer (with the places it was taken from), hand-written where it cannot (contacts,
 * security measures), and "missing" otherwise. Hand-written fields win over generated ones and
 * survive every regeneration; the generated text stays beside them so a change is still visible.
 */
export function generateRecordOfProcessing(input: RopaInput): RecordOfProcessing {
  return {
    tenantId: input.tenantId,
    generatedAt: input.generatedAt.toISOString(),
    sources: [...input.dataMap.sources],
    entries: input.activities.map((activity) => entryOf(activity, input)),
  };
}

function entryOf(activity: ProcessingActivity, input: RopaInput): RopaEntry {
  const id = `${activity.role}:${activity.id}`;
  const generated = generatedFields(activity, input);
  const layout = activity.role === 'controller' ? CONTROLLER_FIELDS : PROCESSOR_FIELDS;
  const fields = layout.map(({ key, article, label }): RopaField => {
    const manual =
      input.manual.find((m) => m.entryId === id && m.field === key) ??
      input.manual.find((m) => m.entryId === '*' && m.field === key);
    const auto = generated[key];
    if (manual)
      return {
        key,
        article,
        label,
        lines: manual.lines,
        provenance: { kind: 'manual', by: manual.by, at: manual.at },
        ...(auto ? { generated: auto.lines } : {}),
      };
    if (auto)
      return {
        key,
        article,
        label,
        lines: auto.lines,
        provenance: { kind: 'generated', from: auto.from.map(formatLocation) },
      };
    return { key, article, label, lines: [], provenance: { kind: 'missing' } };
  });
  return {
    id,
    role: activity.role,
    name: input.nameOf?.('use', activity.id) ?? activity.id,
    systems: activity.systems,
    fields,
  };
}

type Generated = Partial<Record<RopaFieldKey, { lines: string[]; from: SourceLocation[] }>>;

function generatedFields(activity: ProcessingActivity, input: RopaInput): Generated {
  const name = (kind: 'use' | 'category' | 'subject', key: string) => {
    const found = input.nameOf?.(kind, key);
    return found && found !== key ? `${found} (${key})` : key;
  };
  const from = activity.collections.map((c) => c.location);
  const systems = input.dataMap.systems.filter((s) => activity.systems.includes(s.id));
  const flows = input.flows.filter((f) => activity.systems.includes(f.system));
  const fields: Generated = {
    purposes: {
      lines: activity.legalBases.map(
        (b) => `${name('use', activity.id)} — ${BASIS_ARTICLES[b.basis]}${b.note ? `: ${b.note}` : ''}`,
      ),
      from: activity.legalBases.map((b) => b.location),
    },
    processingCategories: { lines: [name('use', activity.id)], from },
    dataSubjects: { lines: activity.dataSubjects.map((s) => name('subject', s)), from },
    dataCategories: { lines: activity.categories.map((c) => name('category', c)), from },
    transfers: {
      lines: flows.length
        ? flows.map(
            (f) =>
              `${f.system} → ${f.country}${f.recipient ? ` (${f.recipient})` : ''}: ${f.bases.length ? f.bases.map(describeBasis).join('; ') : 'NO SAFEGUARD'}`,
          )
        : ['None: no personal data of this activity leaves the EEA'],
      from: flows.length ? flows.map((f) => f.location) : from,
    },
  };
  const recipients = systems.flatMap((s) => s.recipients.map((r, index) => ({ system: s.id, r, index })));
  fields.recipients = {
    lines: recipients.length
      ? recipients.map(
          ({ r }) =>
            `${r.name}${r.category ? ` — ${r.category}` : ''}${r.role ? `, ${r.role}` : ''}${r.country ? `, ${r.country}` : ''}`,
        )
      : ['None declared besides the controller'],
    from: recipients.length
      ? recipients.map(({ system, index }) => input.locations.of({ system }, ['recipients', index]))
      : from,
  };
  const limits = activity.collections.flatMap((c) => {
    const collection = systems
      .find((s) => s.id === c.system)
      ?.collections.find((d) => d.name === c.collection);
    return collection ? timeLimitsOf(c.system, collection, input.locations) : [];
  });
  if (limits.length)
    fields.erasureTimeLimits = { lines: limits.map((l) => l.line), from: limits.map((l) => l.location) };
  return fields;
}

/** Art. 30(1)(f): the retention rule and any legal hold of a collection, in words. */
function timeLimitsOf(
  system: string,
  collection: DataMapCollection,
  locations: DataMapLocations,
): { line: string; location: SourceLocation }[] {
  const address = { system, collection: collection.name };
  const limits: { line: string; location: SourceLocation }[] = [];
  if (collection.retention) {
    const r = collection.retention;
    const where = r.where
      ? ` where ${Object.entries(r.where)
          .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
          .join(' and ')}`
      : '';
    limits.push({
      line: `${system}.${collection.name}: ${r.action === 'delete' ? 'deleted' : 'anonymised'} ${r.keepFor} after ${r.anchor}${where}`,
      location: locations.of(address, ['retention']),
    });
  }
  if (collection.erasure?.strategy === 'keep') {
    const hold = collection.erasure;
    limits.push({
      line: `${system}.${collection.name}: kept ${hold.period ?? 'indefinitely'}${hold.anchor ? ` after ${hold.anchor}` : ''} under ${hold.article} — ${hold.reason}`,
      location: locations.of(address, ['erasure']),
    });
  }
  return limits;
}
