import type {
  DataMap,
  DataMapCollection,
  DataMapField,
  DataMapSystem,
  FieldAddress,
} from '../../../platform/datamap/datamap-types.ts';
import type { CollectionTarget, Connector, RowPredicate } from '../../../platform/connectors/connector.ts';
import type { AffectedCollection, AffectedSubjectCount } from '../core/breach-record.ts';
import type { GovernanceCountingDeps } from './governance-deps.ts';

/** How a collection's rows are told apart by subject: one column and the identity it stands for. */
interface SubjectKey {
  column: string;
  /** The identity field the column holds or points to; collections sharing it count the same people. */
  canonical: string;
  label: string;
  /** The column is the canonical field itself and the collection's single-column primary key. */
  isRoot: boolean;
  /** The column references the canonical field through a foreign key the database enforces. */
  enforced: boolean;
}

type CollectionCount = AffectedSubjectCount['byCollection'][number];

interface Member {
  item: AffectedCollection;
  target: CollectionTarget;
  where: RowPredicate;
  connector: Connector;
  key: SubjectKey;
}

/**
 * Counts the data subjects and records of the affected collections in the real systems, through
 * the connectors (never guessed), one query per collection. Collections that identify subjects by
 * the same identity field (customers.id, orders.customer_id) count the same people, so a person in
 * several is one subject:
 * - when that identity's own collection is affected as a whole and every other one points to it
 *   through a foreign key the database enforces, the others' subjects are among its rows, so its
 *   row count is the number of subjects and the others are counted (records only);
 * - otherwise each collection's subject column is read for the rows in the breach's window and the
 *   distinct values are counted across them. Values are held in memory only for counting.
 */
export async function countAffectedSubjects(
  deps: GovernanceCountingDeps,
  tenantId: string,
  affected: readonly AffectedCollection[],
  now = new Date(),
): Promise<AffectedSubjectCount> {
  const dataMap = deps.dataMaps.forTenant(tenantId).dataMap;
  const results: CollectionCount[] = [];
  const groups = new Map<string, Member[]>();
  const unkeyed: Omit<Member, 'key'>[] = [];
  for (const item of affected) {
    const system = dataMap.systems.find((s) => s.id === item.system);
    const collection = system?.collections.find((c) => c.name === item.collection);
    if (!system || !collection) {
      results.push({
        system: item.system,
        collection: item.collection,
        subjects: null,
        records: 0,
        note: 'not in the data map',
      });
      continue;
    }
    if (system.kind === 'http') {
      results.push({
        system: item.system,
        collection: item.collection,
        subjects: null,
        records: 0,
        note: 'HTTP systems cannot be read in bulk: count these subjects in the system itself and enter the number',
      });
      continue;
    }
    const member = {
      item,
      target: {
        name: collection.name,
        ...(collection.schema ? { schema: collection.schema } : {}),
        primaryKey: collection.primaryKey,
      },
      where: windowPredicate(item),
      connector: deps.connectors.forSystem(tenantId, system),
    };
    const key = subjectKeyOf(dataMap, system, collection);
    if (!key) unkeyed.push(member);
    else groups.set(key.canonical, [...(groups.get(key.canonical) ?? []), { ...member, key }]);
  }
  let subjects = 0;
  const counted = await Promise.all([
    ...unkeyed.map(async (m): Promise<CollectionCount> => ({
      system: m.item.system,
      collection: m.item.collection,
      subjects: null,
      records: await m.connector.count(m.target, m.where),
      note: 'no field identifies the subject (no identity and no reference to one): include the collection it belongs to, whose subjects are counted',
    })),
    ...[...groups.values()].map(async (members) => {
      const group = await countGroup(members);
      subjects += group.subjects;
      return group.collections;
    }),
  ]);
  results.push(...counted.flat());
  return {
    countedAt: now.toISOString(),
    subjects,
    records: results.reduce((sum, r) => sum + r.records, 0),
    byCollection: results,
  };
}

async function countGroup(members: Member[]): Promise<{ subjects: number; collections: CollectionCount[] }> {
  const root = members.find((m) => m.key.isRoot && !m.item.window);
  if (root && members.every((m) => m === root || m.key.enforced)) {
    const counts = await Promise.all(members.map((m) => m.connector.count(m.target, m.where)));
    const rootRecords = counts[members.indexOf(root)]!;
    return {
      subjects: rootRecords,
      collections: members.map((m, i) => ({
        system: m.item.system,
        collection: m.item.collection,
        subjectKey: m.key.label,
        subjects: m === root ? rootRecords : null,
        records: counts[i]!,
        ...(m === root
          ? {}
          : {
              note: `its subjects are among the ${rootRecords} of ${root.item.system}.${root.item.collection} (enforced foreign key)`,
            }),
      })),
    };
  }
  const union = new Set<string>();
  const collections = await Promise.all(
    members.map(async (m): Promise<CollectionCount> => {
      const values = new Set<string>();
      let records = 0;
      for await (const page of m.connector.read({
        target: m.target,
        columns: [m.key.column],
        where: m.where,
        keyset: [],
      })) {
        records += page.length;
        for (const row of page) {
          const value = row[m.key.column];
          if (value !== null && value !== undefined) values.add(String(value));
        }
      }
      for (const value of values) union.add(value);
      return {
        system: m.item.system,
        collection: m.item.collection,
        subjectKey: m.key.label,
        subjects: values.size,
        records,
      };
    }),
  );
  return { subjects: union.size, collections };
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
  const ownKey = (field: DataMapField, isRoot: boolean): SubjectKey => ({
    column: field.name,
    canonical: `${system.id}.${collection.name}.${field.name}`,
    label: `${system.id}.${collection.name}.${field.name} (${field.identity})`,
    isRoot,
    enforced: false,
  });
  const identities = collection.fields.filter((f) => f.identity);
  const primary = identities.find(
    (f) => collection.primaryKey.length === 1 && collection.primaryKey[0] === f.name,
  );
  if (primary) return ownKey(primary, true);
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
        return {
          column: field.name,
          canonical,
          label: `${canonical} (${identity}) via ${field.name}`,
          isRoot: false,
          enforced: reference.foreignKey !== undefined,
        };
      }
    }
  }
  return identities[0] ? ownKey(identities[0], false) : undefined;
}
