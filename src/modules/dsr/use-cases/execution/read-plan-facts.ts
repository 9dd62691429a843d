import type { Connector, Row } from '../../../../platform/connectors/connector.ts';
import { readSystemCatalog } from '../../../../platform/datamap/catalog/read-system-catalog.ts';
import type { SystemCatalog } from '../../../../platform/datamap/catalog/system-catalog.ts';
import type { DataMap, DataMapSystem } from '../../../../platform/datamap/datamap-types.ts';
import { isDomainError } from '../../../../kernel/errors/domain-error.ts';
import { storedPhoneForm } from '../../../../platform/connectors/identity-values.ts';
import type { PlanFacts, StoredPhoneSample } from '../../core/planning/plan-facts.ts';
import { collectionTarget } from '../../core/planning/plan-steps.ts';

/** Stored values read per phone column to tell how numbers are written (counts only are kept). */
const PHONE_SAMPLE = 200;

export interface ReadPlanFactsOptions {
  /** Only these systems (a request's scope, or the one system a step runs on). */
  systems?: string[];
  connectorFor(system: DataMapSystem): Connector;
}

/**
 * What the planner must not guess, read from the live systems: each SQL system's catalog (keys,
 * nullability, foreign keys with their ON DELETE rules, unique indexes) and, for columns holding a
 * phone identity, how a sample of stored numbers is written. A system that cannot be read is
 * recorded with the reason (the plan then says its facts come from the data map alone); its
 * erasure step fails on its own when it runs.
 */
export async function readPlanFacts(dataMap: DataMap, options: ReadPlanFactsOptions): Promise<PlanFacts> {
  const catalogs: SystemCatalog[] = [];
  const unread: NonNullable<PlanFacts['unread']> = [];
  const phoneSamples: StoredPhoneSample[] = [];
  const phones = new Set(dataMap.identities.filter((i) => i.match === 'e164').map((i) => i.name));
  for (const system of dataMap.systems) {
    if (options.systems && !options.systems.includes(system.id)) continue;
    if (system.kind !== 'postgres' && system.kind !== 'mysql') continue;
    try {
      const catalog = await readSystemCatalog(system);
      if (catalog) catalogs.push(catalog);
      for (const collection of system.collections)
        for (const field of collection.fields)
          if (field.identity && phones.has(field.identity))
            phoneSamples.push(
              await samplePhones(options.connectorFor(system), system, collection.name, field.name),
            );
    } catch (error) {
      unread.push({
        system: system.id,
        reason: isDomainError(error) ? error.message : 'the system could not be read',
      });
    }
  }
  return { catalogs, unread, phoneSamples };
}

async function samplePhones(
  connector: Connector,
  system: DataMapSystem,
  collectionName: string,
  field: string,
): Promise<StoredPhoneSample> {
  const collection = system.collections.find((c) => c.name === collectionName)!;
  const sample: StoredPhoneSample = {
    system: system.id,
    collection: collectionName,
    field,
    sampled: 0,
    international: 0,
    national: 0,
    unparseable: 0,
  };
  const rows: Row[] = [];
  for await (const page of connector.read({
    target: collectionTarget(system, collection),
    columns: [field],
    where: { kind: 'not', of: { kind: 'equals', column: field, value: null } },
    // A keyset makes the statement LIMITed: one page, never the whole table.
    keyset: collection.primaryKey.length ? collection.primaryKey : [field],
    pageSize: PHONE_SAMPLE,
  })) {
    rows.push(...page);
    break;
  }
  for (const row of rows) {
    sample.sampled++;
    sample[storedPhoneForm(String(row[field]))]++;
  }
  return sample;
}
