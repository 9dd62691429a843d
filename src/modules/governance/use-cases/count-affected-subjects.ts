import type {
  DataMap,
  DataMapCollection,
  DataMapField,
  DataMapSystem,
  FieldAddress,
} from '../../../platform/datamap/datamap-types.ts';
import type { RowPredicate } from '../../../platform/connectors/connector.ts';
import type { AffectedCollection, AffectedSubjectCount } from '../core/breach-record.ts';
import { subjectComparisonOf } from '../core/subject-values.ts';
import {
  countSubjectGroup,
  type CollectionCount,
  type GroupMember,
  type SubjectKey,
} from './count-subject-group.ts';
import type { GovernanceCountingDeps } from './governance-deps.ts';

/**
 * Counts the data subjects and records of the affected collections in the real systems, through
 * the connectors (never guessed). Collections that identify subjects by the same identity
 * (customers.id, orders.customer_id, another system's customer_id) count the same people, compared
 * as a request by that identity compares them (e-mails case-insensitively, phones normalised), so
 * a person in several is one subject; see `countSubjectGroup` for how each group is counted.
 */
export async function countAffectedSubjects(
  deps: GovernanceCountingDeps,
  tenantId: string,
  affected: readonly AffectedCollection[],
  now = new Date(),
): Promise<AffectedSubjectCount> {
  const dataMap = deps.dataMaps.forTenant(tenantId).dataMap;
  const results: CollectionCount[] = [];
  const groups = new Map<string, GroupMember[]>();
  const unkeyed: Omit<GroupMember, 'key'>[] = [];
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
    else groups.set(key.identity, [...(groups.get(key.identity) ?? []), { ...member, key }]);
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
    ...[...groups].map(async ([identity, members]) => {
      const group = await countSubjectGroup(
        members,
        dataMap.identities.find((i) => i.name === identity),
      );
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
  const keyOf = (field: DataMapField, identity: string, address: string) => ({
    column: field.name,
    identity,
    address,
    comparison: subjectComparisonOf(
      dataMap.identities.find((i) => i.name === identity),
      field,
    ),
    ...(field.type ? { family: field.type.family } : {}),
  });
  const ownKey = (field: DataMapField, isRoot: boolean): SubjectKey => {
    const address = `${system.id}.${collection.name}.${field.name}`;
    return {
      ...keyOf(field, field.identity!, address),
      label: `${address} (${field.identity})`,
      isRoot,
      enforced: false,
    };
  };
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
        const address = `${reference.target.system}.${reference.target.collection}.${reference.target.field}`;
        return {
          ...keyOf(field, identity, address),
          label: `${address} (${identity}) via ${field.name}`,
          isRoot: false,
          enforced: reference.foreignKey !== undefined,
        };
      }
    }
  }
  return identities[0] ? ownKey(identities[0], false) : undefined;
}
