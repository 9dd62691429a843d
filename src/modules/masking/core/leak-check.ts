import type { LeakCheckMode } from './transformer.ts';

/** Source values shorter than this are not looked for inside text: `Al` is in every sentence. */
export const MIN_CONTAINED_LENGTH = 6;

/** One place where a source value survived: counts only, never the value (it is personal data). */
export interface LeakFinding {
  table: string;
  column: string;
  mode: Exclude<LeakCheckMode, 'none'>;
  /** How many sampled cells of the copy hold a sampled source value. */
  matches: number;
}

export interface LeakCheckResult {
  passed: boolean;
  /** Source values sampled from personal columns and looked for. */
  sampledValues: number;
  /** Cells of the copy looked at. */
  checkedCells: number;
  findings: LeakFinding[];
}

/** Source values to look for, exact and case-folded. */
export class LeakNeedles {
  readonly #exact = new Set<string>();
  readonly #folded = new Set<string>();
  readonly #contained: string[] = [];

  add(value: string): void {
    const trimmed = value.trim();
    if (!trimmed) return;
    this.#exact.add(trimmed);
    const folded = trimmed.toLowerCase();
    if (!this.#folded.has(folded) && folded.length >= MIN_CONTAINED_LENGTH) this.#contained.push(folded);
    this.#folded.add(folded);
  }

  get size(): number {
    return this.#exact.size;
  }

  /** The cell is a source value, exactly or case-folded. */
  equals(cell: string): boolean {
    const trimmed = cell.trim();
    return this.#exact.has(trimmed) || this.#folded.has(trimmed.toLowerCase());
  }

  /** A source value (long enough to mean something) appears inside the cell. */
  containedIn(cell: string): boolean {
    const folded = cell.toLowerCase();
    return this.#contained.some((needle) => folded.includes(needle));
  }
}

/** A row still holding its own source value (compared case-folded). */
export function sameValue(source: string | null, copy: string | null): boolean {
  return (
    source !== null &&
    copy !== null &&
    source.trim() !== '' &&
    source.trim().toLowerCase() === copy.trim().toLowerCase()
  );
}

/** Collects findings per column and the verdict. */
export class LeakTally {
  readonly #findings = new Map<string, LeakFinding>();
  sampledValues = 0;
  checkedCells = 0;

  record(table: string, column: string, mode: LeakFinding['mode'], leaked: boolean): void {
    this.checkedCells++;
    if (!leaked) return;
    const key = `${table}\u0000${column}\u0000${mode}`;
    const finding = this.#findings.get(key) ?? { table, column, mode, matches: 0 };
    finding.matches++;
    this.#findings.set(key, finding);
  }

  result(): LeakCheckResult {
    const findings = [...this.#findings.values()];
    return {
      passed: findings.length === 0,
      sampledValues: this.sampledValues,
      checkedCells: this.checkedCells,
      findings,
    };
  }
}
