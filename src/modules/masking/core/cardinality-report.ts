import type { ColumnProfileSummary } from './column-profile.ts';

/** How far the copy may drift from the source before a column is flagged. Stated in every report. */
export interface CardinalityTolerance {
  /** Relative difference of distinct counts (0.05 = 5 %). */
  distinct: number;
  /** Absolute difference of null fractions (0.01 = one percentage point). */
  nullFraction: number;
  /** Relative difference of mean value lengths (0.5 = 50 %; fakes are rarely as long as the real values). */
  meanLength: number;
}

export const DEFAULT_TOLERANCE: CardinalityTolerance = {
  distinct: 0.05,
  nullFraction: 0.01,
  meanLength: 0.5,
};

export interface CardinalityRow {
  table: string;
  column: string;
  transformer: string;
  source: ColumnProfileSummary;
  copy: ColumnProfileSummary;
  withinTolerance: boolean;
  /** What drifted beyond the tolerance, in words. */
  drift: string[];
}

export interface CardinalityReport {
  tolerance: CardinalityTolerance;
  rows: CardinalityRow[];
  /** Columns beyond tolerance. A transformer that drops values on purpose (null, free text without a detector) is expected here. */
  outside: number;
}

/** Compares source and copy profiles per masked column against the tolerance (pure). */
export function compareCardinality(
  columns: {
    table: string;
    column: string;
    transformer: string;
    source: ColumnProfileSummary;
    copy: ColumnProfileSummary;
  }[],
  tolerance: CardinalityTolerance = DEFAULT_TOLERANCE,
): CardinalityReport {
  const rows = columns.map((column): CardinalityRow => {
    const drift: string[] = [];
    const { source, copy } = column;
    const distinctDrift = relative(copy.distinct, source.distinct);
    if (distinctDrift > tolerance.distinct) drift.push(`distinct ${source.distinct} → ${copy.distinct}`);
    if (Math.abs(copy.nullFraction - source.nullFraction) > tolerance.nullFraction) {
      drift.push(`null fraction ${percent(source.nullFraction)} → ${percent(copy.nullFraction)}`);
    }
    if (relative(copy.length.mean, source.length.mean) > tolerance.meanLength) {
      drift.push(`mean length ${source.length.mean.toFixed(1)} → ${copy.length.mean.toFixed(1)}`);
    }
    return { ...column, withinTolerance: drift.length === 0, drift };
  });
  return { tolerance, rows, outside: rows.filter((row) => !row.withinTolerance).length };
}

function relative(copy: number, source: number): number {
  if (source === 0) return copy === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(copy - source) / source;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}
