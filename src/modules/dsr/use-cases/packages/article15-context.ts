import type {
  DataMap,
  DataMapCollection,
  DataMapSystem,
  KeepStrategy,
  Purpose,
  Recipient,
  Transfer,
} from '../../../../platform/datamap/datamap-types.ts';
import type { StagedSystem } from './access-staging.ts';

/**
 * The information GDPR Art. 15(1)(a)–(d), (g) and 15(2) requires besides the data itself, for the
 * systems and collections where the subject's data was found, taken from the data map.
 */
export interface Article15Context {
  /** (a) purposes, with their Art. 6 legal basis. */
  purposes: (Purpose & { systems: string[] })[];
  /** (b) categories of personal data concerned (taxonomy keys). */
  categories: string[];
  /** (c) recipients or categories of recipients. */
  recipients: (Recipient & { systems: string[] })[];
  /** (d) how long the data is stored, per collection, and legal holds that keep it longer. */
  retention: { system: string; collection: string; rule: string }[];
  legalHolds: {
    system: string;
    collection: string;
    field?: string;
    ground: string;
    article: string;
    period?: string;
    reason: string;
  }[];
  /** (g) the source of data not collected from the subject. */
  source: string;
  /** Art. 15(2): transfers to third countries and their safeguards (Chapter V). */
  transfers: (Transfer & { system: string })[];
  systems: {
    id: string;
    name?: string;
    description?: string;
    role: string;
    region?: string;
    collections: {
      name: string;
      description?: string;
      categories: string[];
      purposes: Purpose[];
      dataSubjects: string[];
      rows: number;
    }[];
  }[];
}

export function article15Context(dataMap: DataMap, staged: StagedSystem[]): Article15Context {
  const context: Article15Context = {
    purposes: [],
    categories: [],
    recipients: [],
    retention: [],
    legalHolds: [],
    source:
      'The data map records no source other than you and your use of our services. Where a collection lists a recipient or a description naming another source, that applies.',
    transfers: [],
    systems: [],
  };
  const categories = new Set<string>();
  for (const stagedSystem of staged) {
    const system = dataMap.systems.find((s) => s.id === stagedSystem.system);
    if (!system) continue;
    const found = stagedSystem.collections.filter((c) => c.rows > 0);
    if (found.length === 0) continue;
    // Rows naming the subject as another person are staged as `orders (as gift_recipient)`.
    const collections = found.map((c) => ({
      staged: c,
      definition: system.collections.find((d) => d.name === c.collection.replace(/ \(as [^)]+\)$/, '')),
    }));
    context.systems.push({
      id: system.id,
      ...(system.name ? { name: system.name } : {}),
      ...(system.description ? { description: system.description } : {}),
      role: system.role,
      ...(system.region ? { region: system.region } : {}),
      collections: collections.map(({ staged, definition }) => ({
        name: staged.collection,
        ...(definition?.description ? { description: definition.description } : {}),
        categories: definition ? categoriesOf(definition) : [],
        purposes: definition ? purposesOf(definition) : [],
        dataSubjects: definition?.dataSubjects ?? [],
        rows: staged.rows,
      })),
    });
    for (const { definition } of collections) {
      if (!definition) continue;
      for (const category of categoriesOf(definition)) categories.add(category);
      for (const purpose of purposesOf(definition)) addPurpose(context, purpose, system.id);
      if (definition.retention)
        context.retention.push({
          system: system.id,
          collection: definition.name,
          rule: describeRetention(definition),
        });
      context.legalHolds.push(...holdsOf(system, definition));
    }
    for (const recipient of system.recipients) addRecipient(context, recipient, system.id);
    context.transfers.push(...system.transfers.map((transfer) => ({ ...transfer, system: system.id })));
  }
  context.categories = [...categories].sort();
  return context;
}

function categoriesOf(collection: DataMapCollection): string[] {
  return [...new Set(collection.fields.flatMap((field) => field.categories))].sort();
}

function purposesOf(collection: DataMapCollection): Purpose[] {
  const all = [...collection.purposes, ...collection.fields.flatMap((field) => field.purposes)];
  const seen = new Map<string, Purpose>();
  for (const purpose of all) seen.set(`${purpose.use}\u0000${purpose.legalBasis}`, purpose);
  return [...seen.values()];
}

function addPurpose(context: Article15Context, purpose: Purpose, system: string): void {
  const existing = context.purposes.find((p) => p.use === purpose.use && p.legalBasis === purpose.legalBasis);
  if (existing) {
    if (!existing.systems.includes(system)) existing.systems.push(system);
    return;
  }
  context.purposes.push({ ...purpose, systems: [system] });
}

function addRecipient(context: Article15Context, recipient: Recipient, system: string): void {
  const existing = context.recipients.find((r) => r.name === recipient.name);
  if (existing) {
    if (!existing.systems.includes(system)) existing.systems.push(system);
    return;
  }
  context.recipients.push({ ...recipient, systems: [system] });
}

function describeRetention(collection: DataMapCollection): string {
  const rule = collection.retention!;
  const conditions = rule.where ? ` (rows where ${Object.keys(rule.where).join(', ')} match the rule)` : '';
  return `kept for ${rule.keepFor} after ${rule.anchor}${conditions}, then ${rule.action === 'delete' ? 'deleted' : 'anonymised'}`;
}

function holdsOf(system: DataMapSystem, collection: DataMapCollection): Article15Context['legalHolds'] {
  const holds: Article15Context['legalHolds'] = [];
  const describe = (keep: KeepStrategy, field?: string) => ({
    system: system.id,
    collection: collection.name,
    ...(field ? { field } : {}),
    ground: keep.ground,
    article: keep.article,
    ...(keep.period ? { period: keep.period } : {}),
    reason: keep.reason,
  });
  if (collection.erasure?.strategy === 'keep') holds.push(describe(collection.erasure));
  for (const field of collection.fields)
    if (field.erasure?.strategy === 'keep') holds.push(describe(field.erasure, field.name));
  return holds;
}
