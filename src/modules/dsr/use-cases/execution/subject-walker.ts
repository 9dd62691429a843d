import type { ReadSpec, Row, RowPredicate } from '../../../../platform/connectors/connector.ts';
import { compile } from '../../../../platform/connectors/row-predicate.ts';
import { keyOf } from '../../../../platform/connectors/row-key.ts';
import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type {
  DsrPlan,
  PlanIdentity,
  PlanStep,
  StepSource,
  SystemPlan,
} from '../../core/planning/dsr-plan.ts';
import { phoneCandidates } from '../../../../platform/connectors/identity-values.ts';

/** Values per statement in `WHERE key IN (…)`: far below every driver's parameter limit. */
export const BATCH_SIZE = 1000;

export interface StepPage {
  step: PlanStep;
  rows: Row[];
}

interface Reader {
  read(spec: ReadSpec): AsyncIterable<Row[]>;
}

/**
 * Walks a system's steps in plan order and yields the subject's rows page by page. Of each page
 * only the values children need (their reference columns) are kept, de-duplicated, so memory
 * grows with the number of distinct keys, not with the subject's data.
 */
export class SubjectWalker {
  readonly #system: SystemPlan;
  readonly #identities: PlanIdentity[];
  /** step id → "col,col" → key → tuple */
  readonly #values = new Map<string, Map<string, Map<string, unknown[]>>>();

  constructor(system: SystemPlan, identities: PlanIdentity[]) {
    this.#system = system;
    this.#identities = identities;
    for (const step of system.steps) {
      for (const source of step.sources) {
        if (source.kind !== 'reference') continue;
        const byColumns = this.#values.get(source.parent) ?? new Map<string, Map<string, unknown[]>>();
        byColumns.set(source.parentColumns.join(','), new Map());
        this.#values.set(source.parent, byColumns);
      }
    }
  }

  /** Columns a step's rows must carry so that children can be found from them. */
  neededColumns(step: PlanStep): string[] {
    const byColumns = this.#values.get(step.id);
    const fromChildren = byColumns ? [...byColumns.keys()].flatMap((k) => k.split(',')) : [];
    const own = step.sources.flatMap((s) => (s.kind === 'identity' ? [s.column] : s.columns));
    return [...new Set([...step.target.primaryKey, ...own, ...fromChildren])];
  }

  /** Every page of every step; `columnsOf` says what else to read (all fields for access). */
  async *walk(
    reader: Reader,
    columnsOf: (step: PlanStep) => string[],
    options: {
      pageSize?: number;
      lock?: boolean;
      signal?: AbortSignal;
      skip?: (step: PlanStep) => boolean;
    } = {},
  ): AsyncGenerator<StepPage> {
    for (const step of this.#system.steps) {
      if (options.skip?.(step)) continue;
      const columns = [...new Set([...columnsOf(step), ...this.neededColumns(step)])];
      const chunks = this.chunks(step);
      // A row can match two sources (two parents); it is the subject's once.
      const seen = step.sources.length > 1 && step.target.primaryKey.length ? new Set<string>() : undefined;
      for (const where of chunks) {
        // Locking the subject's root rows serialises two requests for one subject; the rest is
        // locked by the statements that change it.
        const lock = options.lock === true && step.depth === 0;
        for await (let rows of reader.read({
          target: step.target,
          columns,
          where,
          keyset: step.target.primaryKey,
          pageSize: options.pageSize,
          lock,
        })) {
          options.signal?.throwIfAborted();
          if (seen)
            rows = rows.filter((row) => unseen(seen, keyOf(step.target.primaryKey.map((c) => row[c]))));
          this.#remember(step, rows);
          if (rows.length) yield { step, rows };
        }
      }
    }
  }

  /** Whether another step is found from this one's rows. */
  hasChildren(step: PlanStep): boolean {
    return this.#values.has(step.id);
  }

  /**
   * The step's predicate in batches: identity values and parent keys, at most BATCH_SIZE tuples
   * each. A step found several ways (orders by their customer and by their shipping address) is
   * asked for in one statement, `… OR …`, while all its tuples fit in one batch.
   */
  chunks(step: PlanStep): RowPredicate[] {
    const parts = step.sources
      .map((source) => ({
        columns: source.kind === 'identity' ? [source.column] : source.columns,
        tuples: this.#tuplesOf(step, source),
        comparison: comparison(source),
      }))
      .filter((part) => part.tuples.length);
    const inList = (part: (typeof parts)[number], tuples = part.tuples): RowPredicate => ({
      kind: 'in',
      columns: part.columns,
      tuples,
      ...part.comparison,
    });
    if (parts.length > 1 && parts.reduce((n, part) => n + part.tuples.length, 0) <= BATCH_SIZE)
      return [{ kind: 'any', of: parts.map((part) => inList(part)) }];
    const result: RowPredicate[] = [];
    for (const part of parts)
      for (let i = 0; i < part.tuples.length; i += BATCH_SIZE)
        result.push(inList(part, part.tuples.slice(i, i + BATCH_SIZE)));
    return result;
  }

  /** The whole predicate (unbatched), to tell in memory whether a row is the subject's. */
  membership(step: PlanStep): (row: Row) => boolean {
    const parts: RowPredicate[] = step.sources.map((source) => ({
      kind: 'in',
      columns: source.kind === 'identity' ? [source.column] : source.columns,
      tuples: this.#tuplesOf(step, source),
      ...comparison(source),
    }));
    return compile({ kind: 'any', of: parts });
  }

  #tuplesOf(step: PlanStep, source: PlanStep['sources'][number]): unknown[][] {
    if (source.kind === 'identity') {
      const identity = this.#identities.find((i) => i.name === source.identity);
      return identityValues(source, identity).map((value) => [value]);
    }
    const collected = this.#values.get(source.parent)?.get(source.parentColumns.join(','));
    if (!collected)
      throw new InvalidInput(
        'dsr.plan_inconsistent',
        `Step ${step.id} depends on ${source.parent}, which the plan does not read first.`,
      );
    return [...collected.values()];
  }

  #remember(step: PlanStep, rows: Row[]): void {
    const byColumns = this.#values.get(step.id);
    if (!byColumns) return;
    for (const [joined, values] of byColumns) {
      const columns = joined.split(',');
      for (const row of rows) {
        const tuple = columns.map((c) => row[c]);
        // NULL references nothing.
        if (tuple.some((v) => v === null || v === undefined)) continue;
        values.set(keyOf(tuple), tuple);
      }
    }
  }
}

/** How an identity source compares: case-insensitively, or as a phone number normalised on both sides. */
function comparison(source: StepSource): { lowercase?: boolean; phone?: boolean } {
  if (source.kind !== 'identity') return {};
  if (source.phone) return { phone: true };
  return source.lowercase ? { lowercase: true } : {};
}

const SHAPES = {
  integer: /^-?\d+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

/**
 * The values an identity source compares with: a phone number in each stored form it may take
 * (E.164, and the national form where the identity declares its region); values that can never
 * match the column's type (a word against an integer key) are left out rather than sent.
 */
export function identityValues(
  source: Extract<StepSource, { kind: 'identity' }>,
  identity: PlanIdentity | undefined,
): string[] {
  const values = identity?.values ?? [];
  if (source.phone) return [...new Set(values.flatMap((value) => phoneCandidates(value, identity?.region)))];
  if (source.accepts) return values.filter((value) => SHAPES[source.accepts!].test(value));
  return [...values];
}

function unseen(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** The plan's part for one system; refuses plans with errors for that system. */
export function systemOf(plan: DsrPlan, systemId: string): SystemPlan {
  const system = plan.systems.find((s) => s.system === systemId);
  if (!system) {
    throw new InvalidInput(
      'dsr.system_not_in_plan',
      `The plan does not touch system ${systemId}; the request reaches ${plan.systems.map((s) => s.system).join(', ') || 'no system'}.`,
      { system: systemId },
    );
  }
  const errors = plan.errors.filter((e) => !e.system || e.system === systemId);
  if (errors.length) {
    throw new InvalidInput(
      'dsr.plan_has_errors',
      `The plan for system ${systemId} cannot run: ${errors.map((e) => e.message).join(' ')}`,
      { system: systemId, errors },
    );
  }
  return system;
}
