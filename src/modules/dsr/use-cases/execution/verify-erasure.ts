import type {
  ConnectorReader,
  CountQuery,
  Row,
  RowPredicate,
} from '../../../../platform/connectors/connector.ts';
import { compile } from '../../../../platform/connectors/row-predicate.ts';
import { keyOf } from '../../../../platform/connectors/row-key.ts';
import type { PlanIdentity, PlanStep, SystemPlan } from '../../core/planning/dsr-plan.ts';
import type { MaskChanges } from './apply-erasure.ts';
import type { Fate, StepRows } from './erasure-fates.ts';
import type { ErasureVerification, SurvivingRows } from './execution-report.ts';
import { BATCH_SIZE, SubjectWalker } from './subject-walker.ts';

/** What the erasure's transaction knew, kept for checking the outcome after it committed. */
export interface ErasureOutcome {
  byStep: Map<string, StepRows>;
  fates: Map<Row, Fate>;
  masks: Map<string, MaskChanges>;
  /** The walker of the erasure: its predicates still name the rows as they were before. */
  walker: SubjectWalker;
  /** Tables without a primary key: fingerprint → rows matching it before anything was written. */
  fingerprints: Map<string, FingerprintCount>;
  /** Step id → the rows left to ON DELETE CASCADE (never read). */
  cascades: Map<string, CascadeCount>;
}

/**
 * A collection left to ON DELETE CASCADE, never read: its rows under the parent rows that go (the
 * database deletes them) and under those that stay (the erasure deletes them itself).
 */
export interface CascadeCount {
  /** Under the parent rows that go, a batch of parent keys each. */
  where: RowPredicate[];
  /** How many rows that was before anything was written. */
  count: number;
  /** Under the parent rows that stay, a batch of parent keys each. */
  underKeptParents: RowPredicate[];
}

/** Every row of a collection left to the cascade, wherever its parent went. */
const allOf = (cascade: CascadeCount | undefined) => [
  ...(cascade?.where ?? []),
  ...(cascade?.underKeptParents ?? []),
];

export interface FingerprintCount {
  predicate: RowPredicate;
  before: number;
  /** The subject's rows with this fingerprint that the erasure deleted or masked. */
  removed: number;
}

const KEYS_LISTED = 50;

/**
 * Proves the outcome by reading the system again after the commit, never by trusting the plan:
 * 1. the subject's access query runs again with the request's identities: every row it still
 *    finds that is not kept under a declared hold (Art. 17(3), directly or because a held row needs
 *    it) survives the erasure;
 * 2. every row the erasure meant to delete is looked up by its key, every masked field is read
 *    back and compared with its old value;
 * 3. rows of tables without a key are counted by their old values, so a row that escaped its
 *    predicate (its reference set to NULL before it was deleted) is found all the same;
 * 4. collections deleted without reading (one DELETE by the subject's predicate) are counted by
 *    that predicate.
 * Anything found is listed with its reason; the request then cannot end `completed`.
 *
 * Where the system counts several queries in one statement (SQL), the lookups that expect nothing
 * (the access query's first statements, deleted keys, blind collections, old values) are counted
 * together first, one round trip for the lot; only what comes back non-zero is read row by row to
 * say which rows survive and why. Masked fields are always read back.
 */
export async function verifyErasure(
  reader: ConnectorReader,
  system: SystemPlan,
  identities: PlanIdentity[],
  outcome: ErasureOutcome,
  options: { rereadByKey: boolean; rowsStay?: boolean },
): Promise<ErasureVerification> {
  if (reader.countEach)
    return countedFirst(reader, reader.countEach.bind(reader), system, identities, outcome, options);
  const survivors = new Survivors();
  let rechecked = 0;
  if (!options.rowsStay) rechecked += await rerunAccess(reader, system, identities, outcome, survivors);
  if (options.rereadByKey) {
    for (const rows of outcome.byStep.values()) {
      if (rows.blind) await recountBlind(reader, rows, outcome.walker.chunks(rows.step), survivors);
      else if (rows.leftToCascade) {
        const where = allOf(outcome.cascades.get(rows.step.id));
        await recountBlind(reader, rows, where, survivors, GONE_WITH_PARENTS);
      } else if (rows.step.target.primaryKey.length)
        rechecked += await rereadByKey(reader, rows, outcome, survivors);
    }
    await recountFingerprints(reader, outcome, survivors);
  }
  return { rechecked, survivors: survivors.list() };
}

/** The same proof as `verifyErasure`'s, its expected-empty lookups counted in one statement first. */
async function countedFirst(
  reader: ConnectorReader,
  countEach: (queries: readonly CountQuery[]) => Promise<number[]>,
  system: SystemPlan,
  identities: PlanIdentity[],
  outcome: ErasureOutcome,
  options: { rereadByKey: boolean; rowsStay?: boolean },
): Promise<ErasureVerification> {
  const survivors = new Survivors();
  const probes = new CountProbes();
  // The access query's statements by identity: a walk that finds nothing there finds nothing at all,
  // since every other statement of it looks for rows referencing what those found.
  const access = new SubjectWalker(system, identities);
  const accessProbe = options.rowsStay
    ? undefined
    : probes.add(
        system.steps.flatMap((step) => access.chunks(step).map((where) => ({ target: step.target, where }))),
      );
  const byKey: { rows: StepRows; probe?: number }[] = [];
  const blind: { rows: StepRows; probe: number }[] = [];
  const fingerprints: { rows: StepRows; counts: FingerprintCount[]; probe: number }[] = [];
  if (options.rereadByKey) {
    for (const rows of outcome.byStep.values()) {
      const { step } = rows;
      if (rows.blind || rows.leftToCascade) {
        const where = rows.blind ? outcome.walker.chunks(step) : allOf(outcome.cascades.get(step.id));
        blind.push({ rows, probe: probes.add(where.map((w) => ({ target: step.target, where: w }))) });
        continue;
      }
      if (step.target.primaryKey.length) {
        byKey.push({
          rows,
          probe: deletedOnly(rows, outcome) ? probes.add(keyLookups(rows, outcome)) : undefined,
        });
        continue;
      }
      const counts = fingerprintsOf(rows, outcome);
      if (counts.length)
        fingerprints.push({
          rows,
          counts,
          probe: probes.add(counts.map((c) => ({ target: step.target, where: c.predicate }))),
        });
    }
  }
  const counted = await probes.count(countEach);
  let rechecked = 0;
  if (accessProbe !== undefined && sum(counted(accessProbe)) > 0)
    rechecked += await rerunAccess(reader, system, identities, outcome, survivors);
  for (const { rows, probe } of byKey) {
    // Rows only deleted and none found by key: nothing to read. Otherwise each row is read back.
    if (probe !== undefined && sum(counted(probe)) === 0) rechecked += watchedRows(rows, outcome).length;
    else rechecked += await rereadByKey(reader, rows, outcome, survivors);
  }
  for (const { rows, probe } of blind) {
    const left = sum(counted(probe));
    if (left) survivors.addCount(rows.step, left, rows.blind ? GONE_UNREAD : GONE_WITH_PARENTS);
  }
  for (const { rows, counts, probe } of fingerprints) {
    const after = counted(probe);
    let left = 0;
    counts.forEach((count, i) => (left += Math.max(0, after[i]! - (count.before - count.removed))));
    if (left) survivors.addCount(rows.step, left, FINGERPRINT_SURVIVES);
  }
  return { rechecked, survivors: survivors.list() };
}

const FINGERPRINT_SURVIVES =
  "was to be deleted or masked but still holds the subject's values (a row without a primary key, found by its old values)";

/** Queries counted together, each group's counts handed back by the number `add` gave it. */
class CountProbes {
  readonly #queries: CountQuery[] = [];
  readonly #groups: { from: number; to: number }[] = [];

  add(queries: CountQuery[]): number {
    this.#groups.push({ from: this.#queries.length, to: this.#queries.length + queries.length });
    this.#queries.push(...queries);
    return this.#groups.length - 1;
  }

  async count(
    countEach: (queries: readonly CountQuery[]) => Promise<number[]>,
  ): Promise<(group: number) => number[]> {
    const counts = this.#queries.length ? await countEach(this.#queries) : [];
    return (group) => counts.slice(this.#groups[group]!.from, this.#groups[group]!.to);
  }
}

const sum = (counts: number[]) => counts.reduce((total, n) => total + n, 0);

/** A keyed collection whose rows were only deleted (none masked), so finding none of their keys proves it. */
function deletedOnly(rows: StepRows, outcome: ErasureOutcome): boolean {
  return !rows.step.impersonal && !(outcome.masks.get(rows.step.id)?.size ?? 0);
}

/** Rows the erasure deleted or masked, which must be read back by key. */
function watchedRows(rows: StepRows, outcome: ErasureOutcome): Row[] {
  if (rows.step.impersonal) return [];
  const changes = outcome.masks.get(rows.step.id);
  return rows.rows.filter((row) => outcome.fates.get(row)?.kind === 'delete' || changes?.has(row));
}

/** The deleted rows' keys, a batch per query. */
function keyLookups(rows: StepRows, outcome: ErasureOutcome): CountQuery[] {
  const { target } = rows.step;
  const key = target.primaryKey;
  const tuples = watchedRows(rows, outcome).map((row) => key.map((c) => row[c]));
  const queries: CountQuery[] = [];
  for (let i = 0; i < tuples.length; i += BATCH_SIZE)
    queries.push({ target, where: { kind: 'in', columns: key, tuples: tuples.slice(i, i + BATCH_SIZE) } });
  return queries;
}

/** The old-value counts taken before the erasure wrote, for one collection without a key. */
function fingerprintsOf(rows: StepRows, outcome: ErasureOutcome): FingerprintCount[] {
  return [...outcome.fingerprints.entries()]
    .filter(([id]) => id.startsWith(`${rows.step.id}\u0000`))
    .map(([, count]) => count);
}

async function rerunAccess(
  reader: ConnectorReader,
  system: SystemPlan,
  identities: PlanIdentity[],
  outcome: ErasureOutcome,
  survivors: Survivors,
): Promise<number> {
  const walker = new SubjectWalker(system, identities);
  const heldTuples = new Map<string, Map<string, number>>();
  let found = 0;
  for await (const { step, rows } of walker.walk(reader, (s) => s.columns)) {
    const known = outcome.byStep.get(step.id)!;
    for (const row of rows) {
      found++;
      if (step.impersonal) continue;
      const key = step.target.primaryKey;
      if (!key.length) {
        // Without a key, a row found again is accounted for only by a held row with the same values.
        const held = heldTuples.get(step.id) ?? countHeld(known, outcome.fates);
        heldTuples.set(step.id, held);
        const tuple = keyOf(step.columns.map((c) => row[c]));
        const left = held.get(tuple) ?? 0;
        if (left > 0) held.set(tuple, left - 1);
        else survivors.add(step, row, stillFound(step, undefined));
        continue;
      }
      const before = known.byKey?.get(keyOf(key.map((c) => row[c])));
      const fate = before ? outcome.fates.get(before) : undefined;
      if (fate?.kind === 'stay' && fate.kept?.ground) continue;
      survivors.add(step, row, stillFound(step, before ? fate : undefined));
    }
  }
  return found;
}

function stillFound(step: PlanStep, fate: Fate | undefined): string {
  const found = step.about
    ? `still names the subject as ${step.about.role} and is found by the subject's identities`
    : "still found by the subject's identities";
  if (!fate) return `${found}; the erasure did not see this row (written since it ran?)`;
  if (fate.kind === 'delete') return `${found}, although it was to be deleted`;
  if (fate.kept) return `${found}: kept, ${fate.kept.reason}, which is no legal hold`;
  return `${found}: its personal fields are masked, but the row still leads to the subject`;
}

function countHeld(rows: StepRows, fates: Map<Row, Fate>): Map<string, number> {
  const held = new Map<string, number>();
  for (const row of rows.rows) {
    const fate = fates.get(row);
    if (fate?.kind !== 'stay' || !fate.kept?.ground) continue;
    const tuple = keyOf(rows.step.columns.map((c) => row[c]));
    held.set(tuple, (held.get(tuple) ?? 0) + 1);
  }
  return held;
}

/** Deleted rows must be gone; masked fields must no longer hold their old values. */
async function rereadByKey(
  reader: ConnectorReader,
  rows: StepRows,
  outcome: ErasureOutcome,
  survivors: Survivors,
): Promise<number> {
  const { step } = rows;
  const key = step.target.primaryKey;
  const changes = outcome.masks.get(step.id) ?? new Map<Row, Record<string, unknown>>();
  const watched = watchedRows(rows, outcome);
  const masked = [...new Set(rows.plan.masks.map((m) => m.field))];
  const byKey = new Map(watched.map((row) => [keyOf(key.map((c) => row[c])), row]));
  for (let i = 0; i < watched.length; i += BATCH_SIZE) {
    const tuples = watched.slice(i, i + BATCH_SIZE).map((row) => key.map((c) => row[c]));
    for await (const page of reader.read({
      target: step.target,
      columns: [...key, ...masked],
      where: { kind: 'in', columns: key, tuples },
      keyset: key,
    })) {
      for (const now of page) {
        const before = byKey.get(keyOf(key.map((c) => now[c])))!;
        if (outcome.fates.get(before)?.kind === 'delete') {
          survivors.add(step, now, 'was to be deleted but is still there');
          continue;
        }
        const unmasked = Object.keys(changes.get(before) ?? {}).filter(
          (field) => keyOf([now[field]]) === keyOf([before[field]]),
        );
        if (unmasked.length)
          survivors.add(
            step,
            now,
            `${unmasked.join(', ')} still hold${unmasked.length === 1 ? 's' : ''} the subject's value`,
          );
      }
    }
  }
  return watched.length;
}

/** A collection deleted without reading: nothing may match its predicate as it was before. */
async function recountBlind(
  reader: ConnectorReader,
  rows: StepRows,
  where: RowPredicate[],
  survivors: Survivors,
  reason = GONE_UNREAD,
): Promise<void> {
  let left = 0;
  for (const part of where) left += await reader.count(rows.step.target, part);
  if (left) survivors.addCount(rows.step, left, reason);
}

const GONE_UNREAD = 'was to be deleted but still matches the subject';
const GONE_WITH_PARENTS =
  'was to be deleted (with its parent row by ON DELETE CASCADE, or under a parent that stays) but still matches the subject';

async function recountFingerprints(
  reader: ConnectorReader,
  outcome: ErasureOutcome,
  survivors: Survivors,
): Promise<void> {
  for (const rows of outcome.byStep.values()) {
    const counts = fingerprintsOf(rows, outcome);
    if (!counts.length) continue;
    const after = await countFingerprints(
      reader,
      rows.step,
      counts.map((c) => c.predicate),
    );
    let left = 0;
    counts.forEach((count, i) => (left += Math.max(0, after[i]! - (count.before - count.removed))));
    if (left) survivors.addCount(rows.step, left, FINGERPRINT_SURVIVES);
  }
}

/**
 * For tables without a key: a predicate matching a row's old values (NULL or the old value for
 * reference columns, which an erasure may legitimately unlink), and a count of the rows matching
 * each, read in batches.
 */
export function fingerprintOf(
  row: Row,
  columns: string[],
  unlinkable: Set<string>,
): RowPredicate | undefined {
  const parts: RowPredicate[] = [];
  for (const column of columns) {
    const value = row[column];
    // JSON, bytes and arrays cannot be compared portably in SQL; the other columns still tell rows apart.
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) continue;
    const equals: RowPredicate = { kind: 'equals', column, value };
    parts.push(
      unlinkable.has(column) && value !== null
        ? { kind: 'any', of: [equals, { kind: 'equals', column, value: null }] }
        : equals,
    );
  }
  return parts.length ? { kind: 'all', of: parts } : undefined;
}

/**
 * Rows matching each fingerprint: counted by the system where it can (one statement per batch),
 * otherwise read and matched here. The erasure's count before and the check's count after go
 * through the same connector, so they compare values the same way.
 */
export async function countFingerprints(
  reader: ConnectorReader,
  step: PlanStep,
  predicates: RowPredicate[],
): Promise<number[]> {
  if (reader.countEach) return reader.countEach(predicates.map((where) => ({ target: step.target, where })));
  const counts = predicates.map(() => 0);
  const matchers = predicates.map(compile);
  const columns = step.columns;
  for (let i = 0; i < predicates.length; i += 100) {
    const batch = predicates.slice(i, i + 100);
    for await (const page of reader.read({
      target: step.target,
      columns,
      where: { kind: 'any', of: batch },
      keyset: [],
    })) {
      for (const row of page) batch.forEach((_, j) => matchers[i + j]!(row) && counts[i + j]!++);
    }
  }
  return counts;
}

class Survivors {
  readonly #groups = new Map<string, SurvivingRows>();

  add(step: PlanStep, row: Row, reason: string): void {
    const group = this.#group(step, reason);
    group.count++;
    const key = step.target.primaryKey;
    if (key.length && !step.personalKey && (group.keys?.length ?? 0) < KEYS_LISTED)
      (group.keys ??= []).push(Object.fromEntries(key.map((c) => [c, plain(row[c])])));
  }

  addCount(step: PlanStep, count: number, reason: string): void {
    this.#group(step, reason).count += count;
  }

  list(): SurvivingRows[] {
    return [...this.#groups.values()];
  }

  #group(step: PlanStep, reason: string): SurvivingRows {
    const id = `${step.id}\u0000${reason}`;
    const group = this.#groups.get(id) ?? {
      collection: step.collection,
      ...(step.about ? { about: step.about.role } : {}),
      count: 0,
      reason,
    };
    this.#groups.set(id, group);
    return group;
  }
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}
