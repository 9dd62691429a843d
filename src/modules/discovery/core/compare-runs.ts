/** A column as two runs saw it: its categories (first = best). */
export interface RunColumn {
  collection: string;
  field: string;
  categories: string[];
}

/** What changed between two runs of one system: personal data that appeared, went, or changed kind. */
export interface RunComparison {
  previousRunId: string | null;
  appeared: RunColumn[];
  disappeared: RunColumn[];
  changed: { collection: string; field: string; before: string[]; after: string[] }[];
}

/**
 * Compares the personal columns of a run with those of the run before it (pure). A column with no
 * categories in one run and some in the other appears or disappears; different first categories
 * are a change.
 */
export function compareRuns(
  previousRunId: string | null,
  before: readonly RunColumn[],
  after: readonly RunColumn[],
): RunComparison {
  const key = (c: RunColumn) => `${c.collection}\u0000${c.field}`;
  const old = new Map(before.filter((c) => c.categories.length).map((c) => [key(c), c]));
  const now = new Map(after.filter((c) => c.categories.length).map((c) => [key(c), c]));
  const comparison: RunComparison = { previousRunId, appeared: [], disappeared: [], changed: [] };
  for (const [k, column] of now) {
    const was = old.get(k);
    if (!was) comparison.appeared.push(column);
    else if (was.categories[0] !== column.categories[0])
      comparison.changed.push({
        collection: column.collection,
        field: column.field,
        before: was.categories,
        after: column.categories,
      });
  }
  for (const [k, column] of old) if (!now.has(k)) comparison.disappeared.push(column);
  return comparison;
}
