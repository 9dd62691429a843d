import type {
  DataMap,
  DataMapCollection,
  DataMapField,
  DataMapSystem,
  FieldAddress,
} from '../../../platform/datamap/datamap-types.ts';
import type { CollectionTarget, RowPredicate } from '../../../platform/connectors/connector.ts';
import type { AffectedCollection, AffectedSubjectCount } from '../core/breach-record.ts';
import type { GovernanceCountingDeps } from './governance-deps.ts';

/** How a collection's rows are told apart by subject: one column and the identity it stands for. */
interface SubjectKey {
  column: string;
  /** The identity field the column holds or points to; collections sharing it count the same people. */
  canonical: string;
  label: string;
}

/**
 * Counts the data subjects and records of the affected collections in the real systems, through
 * the connectors: one query per collection reads the column that identifies the subject (a field
 * with `identity:`, or a reference to one, as access requests follow them) for the rows in the
 * breach's window, and distinct values are counted. Collections that identify subjects by the same
 * identity field (customers.id and orders.customer_id) are counted together, so a person in both is
 * one subject. Values are only held in memory for counting; counts are what is kept.
 */
export async function countAffectedSubjects(
  deps: GovernanceCountingDeps,
  tenantId: string,
  affected: readonly AffectedCollection[],
  now = new Date(),
): Promise<AffectedSubjectCount> {
  const dataMap = deps.dataMaps.forTenant(tenantId).dataMap;
  const seen = new Map<string, Set<string>>();
  const results = await Promise.all(
    affected.map(async (item) => {
      const system = dataMap.systems.find((s) => s.id === item.system)!;
      const collection = system?.collections.find((c) => c.name === item.collection);
      if (!system || !collection)
        return {
          system: item.system,
          collection: item.collection,
          subjects: null,
          records: 0,
          note: 'not in the data map',
        };
      if (system.kind === 'http')
        return {
          system: item.system,
          collection: item.collection,
          subjects: null,
          records: 0,
          note: 'HTTP systems cannot be read in bulk: count these subjects in the system itself and enter the number',
        };
      const connector = deps.connectors.forSystem(tenantId, system);
      const target: CollectionTarget = {
        name: collection.name,
        ...(collection.schema ? { schema: collection.schema } : {}),
        primaryKey: collection.primaryKey,
      };
      const where = windowPredicate(item);
      const key = subjectKeyOf(dataMap, system, collection);
      if (!key) {
        const records = await connector.count(target, where);
        return {
          system: item.system,
          collection: item.collection,
          subjects: null,
          records,
          note: 'no field identifies the subject (no identity and no reference to one): include the collection it belongs to, whose subjects are counted',
        };
      }
      const values = new Set<string>();
      let records = 0;
      for await (const page of connector.read({ target, columns: [key.column], where, keyset: [] })) {
        records += page.length;
        for (const row of page) {
          const value = row[key.column];
          if (value !== null && value !== undefined) values.add(String(value));
        }
      }
      const shared = seen.get(key.canonical) ?? new Set<string>();
      for (const value of values) shared.add(value);
      seen.set(key.canonical, shared);
      return {
        system: item.system,
        collection: item.collection,
        subjectKey: key.label,
        subjects: values.size,
        records,
      };
    }),
  );
  let subjects = 0;
  for (const values of seen.values()) subjects += values.size;
  return {
    countedAt: now.toISOString(),
    subjects,
    records: results.reduce((sum, r) => sum + r.records, 0),
    byCollection: results,
  };
}

function windowPredicate(item: AffectedCollection): RowPredicate {
  const parts: RowPredicate[] = [];
  if (item.window?.from)
    parts.push({
      kind: 'compare',
      column: item.window.field,
      operator: '>=',
      value: new Date(item.window.from),
    });
  if (item.window?.to)
    parts.push({
      kind: 'compare',
      column: item.window.field,
      operator: '<',
      value: new Date(item.window.to),
    });
  return { kind: 'all', of: parts };
}

/**
 * The column that says whose a row is: the collection's own identity field when it is the primary
 * key (customers.id); else a reference (direction from/both) to a field with an identity, which
 * names the person the row belongs to as the DSR planner follows it (orders.customer_id); else any
 * own identity field. A self-reference such as customers.referred_by never wins over the key.
 */
function subjectKeyOf(
  dataMap: DataMap,
  system: DataMapSystem,
  collection: DataMapCollection,
): SubjectKey | undefined {
  const ownKey = (field: DataMapField) => ({
    column: field.name,
    canonical: `${system.id}.${collection.name}.${field.name}`,
    label: `${system.id}.${collection.name}.${field.name} (${field.identity})`,
  });
  const identities = collection.fields.filter((f) => f.identity);
  const primary = identities.find(
    (f) => collection.primaryKey.length === 1 && collection.primaryKey[0] === f.name,
  );
  if (primary) return ownKey(primary);
  const identityOf = (address: FieldAddress) =>
    dataMap.systems
      .find((s) => s.id === address.system)
      ?.collections.find((c) => c.name === address.collection)
      ?.fields.find((f) => f.name === address.field)?.identity;
  for (const field of collection.fields) {
    for (const reference of field.references) {
      if (reference.direction === 'to') continue;
      const identity = identityOf(reference.target);
      if (identity) {
        const canonical = `${reference.target.system}.${reference.target.collection}.${reference.target.field}`;
        return { column: field.name, canonical, label: `${canonical} (${identity}) via ${field.name}` };
      }
    }
  }
  return identities[0] ? ownKey(identities[0]) : undefined;
}
