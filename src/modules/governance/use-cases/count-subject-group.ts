import {
  MAX_SUBJECT_SOURCES,
  type CollectionTarget,
  type Connector,
  type RowPredicate,
  type SubjectColumn,
  type SubjectValues,
} from '../../../platform/connectors/connector.ts';
import type { ColumnFamily, IdentityDefinition } from '../../../platform/datamap/datamap-types.ts';
import type { AffectedCollection, AffectedSubjectCount } from '../core/breach-record.ts';
import { comparedValueOf, subjectIdentityOf } from '../core/subject-values.ts';

/** How a collection's rows are told apart by subject: one column and the identity it stands for. */
export interface SubjectKey {
  column: string;
  /** The identity the column holds or points to: collections sharing it count the same people. */
  identity: string;
  /** The identity field the column is or references, `system.collection.field`. */
  address: string;
  label: string;
  /** Compared as the access path compares the identity (lower-cased e-mails, normalised phones). */
  comparison: SubjectColumn['comparison'];
  /** The column's declared type; undefined when the data map does not say. */
  family?: ColumnFamily;
  /** The column is the identity field itself and the collection's single-column primary key. */
  isRoot: boolean;
  /** The column references the field at `address` through a foreign key the database enforces. */
  enforced: boolean;
}

/** One affected collection with what it takes to count it. */
export interface GroupMember {
  item: AffectedCollection;
  target: CollectionTarget;
  where: RowPredicate;
  connector: Connector;
  key: SubjectKey;
}

export type CollectionCount = AffectedSubjectCount['byCollection'][number];

export interface GroupCount {
  subjects: number;
  collections: CollectionCount[];
}

/**
 * Counts the distinct subjects of collections that identify them by the same identity, exactly as
 * an access request by that identity would find them:
 * - when the identity's own collection is affected as a whole and every other one points to it
 *   through a foreign key the database enforces, its row count is the number of subjects;
 * - when all of them live in one SQL system, that system counts them in one statement (the
 *   deduplication runs where the data is, nothing is read back);
 * - otherwise each system lists its distinct values (a SQL system in one statement, others by
 *   reading the column) and they are told apart here. Values are held in memory only for counting.
 */
export async function countSubjectGroup(
  members: readonly GroupMember[],
  identity: IdentityDefinition | undefined,
): Promise<GroupCount> {
  const root = members.find((m) => m.key.isRoot && !m.item.window);
  const underRoot = (m: GroupMember) => m.key.enforced && m.key.address === root?.key.address;
  if (root && members.every((m) => m === root || underRoot(m))) return countFromRoot(members, root);
  const bySystem = new Map<string, GroupMember[]>();
  for (const member of members)
    bySystem.set(member.item.system, [...(bySystem.get(member.item.system) ?? []), member]);
  const systems = [...bySystem.values()];
  // A regional phone identity's national and international forms are one person: merged here.
  const mergedInMemory = identity?.match === 'e164' && identity.region !== undefined;
  const tally = systems[0]![0]!.connector.tallySubjects;
  if (systems.length === 1 && !mergedInMemory && tally && members.length <= MAX_SUBJECT_SOURCES) {
    const counted = await tally.call(members[0]!.connector, subjectColumnsOf(members));
    return {
      subjects: counted.distinct,
      collections: members.map((m, i) => collectionCount(m, counted.subjects[i]!, counted.records[i]!)),
    };
  }
  const union = new Set<string>();
  const counts = new Map<GroupMember, CollectionCount>();
  await Promise.all(
    systems.map(async (part) => {
      const listed = await listSubjectValues(part);
      const perSource = part.map(() => new Set<string>());
      for (const { value, sources } of listed.values) {
        const subject = subjectIdentityOf(part[sources[0]!]!.key.comparison, value, identity?.region);
        union.add(subject);
        for (const source of sources) perSource[source]!.add(subject);
      }
      part.forEach((m, i) => counts.set(m, collectionCount(m, perSource[i]!.size, listed.records[i]!)));
    }),
  );
  return { subjects: union.size, collections: members.map((m) => counts.get(m)!) };
}

async function countFromRoot(members: readonly GroupMember[], root: GroupMember): Promise<GroupCount> {
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

function collectionCount(member: GroupMember, subjects: number, records: number): CollectionCount {
  return {
    system: member.item.system,
    collection: member.item.collection,
    subjectKey: member.key.label,
    subjects,
    records,
  };
}

/**
 * The subject columns of one system's collections, ready for one statement: columns whose values
 * would not compare in one UNION (different or undeclared types, as stored) are compared as text.
 */
function subjectColumnsOf(part: readonly GroupMember[]): SubjectColumn[] {
  const valueTypes = new Set(
    part.map((m) => (m.key.comparison === 'exact' ? (m.key.family ?? 'undeclared') : 'text')),
  );
  const asText = valueTypes.size > 1 || valueTypes.has('undeclared');
  return part.map((m) => ({
    target: m.target,
    column: m.key.column,
    where: m.where,
    comparison: m.key.comparison === 'exact' && asText ? 'text' : m.key.comparison,
  }));
}

/** One system's distinct compared values: listed by the system when it can, else read and compared here. */
async function listSubjectValues(part: readonly GroupMember[]): Promise<SubjectValues> {
  const connector = part[0]!.connector;
  if (connector.listSubjectValues && part.length <= MAX_SUBJECT_SOURCES)
    return connector.listSubjectValues(subjectColumnsOf(part));
  const sourcesOf = new Map<string, Set<number>>();
  const records = await Promise.all(
    part.map(async (m, index) => {
      let rows = 0;
      for await (const page of m.connector.read({
        target: m.target,
        columns: [m.key.column],
        where: m.where,
        keyset: [],
      })) {
        rows += page.length;
        for (const row of page) {
          const value = comparedValueOf(m.key.comparison, row[m.key.column]);
          if (value === undefined) continue;
          const sources = sourcesOf.get(value) ?? new Set<number>();
          sources.add(index);
          sourcesOf.set(value, sources);
        }
      }
      return rows;
    }),
  );
  return { records, values: [...sourcesOf].map(([value, sources]) => ({ value, sources: [...sources] })) };
}
