import {
  compareCardinality,
  DEFAULT_TOLERANCE,
  type CardinalityReport,
  type CardinalityTolerance,
} from '../core/cardinality-report.ts';
import type { TableProgress } from '../core/masking-run-types.ts';

/**
 * The cardinality report of a copy: for every masked column, distinct count, null fraction and
 * value lengths of the source beside the copy's, measured while the rows streamed through, and
 * whether they stay within the tolerance.
 */
export function reportCardinality(
  tables: readonly TableProgress[],
  tolerance: CardinalityTolerance = DEFAULT_TOLERANCE,
): CardinalityReport {
  return compareCardinality(
    tables.flatMap((table) => table.profiles.map((profile) => ({ table: table.table, ...profile }))),
    tolerance,
  );
}
