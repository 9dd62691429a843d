import type { RecordOfProcessing, RopaFieldKey } from './record-of-processing.ts';

export interface RopaFieldChange {
  entryId: string;
  field: RopaFieldKey;
  article: string;
  added: string[];
  removed: string[];
  /** The change is in the data map beneath a hand-written text, which hides it from the record: review the text. */
  underManualText: boolean;
}

export interface RopaDiff {
  from: string;
  to: string;
  addedEntries: string[];
  removedEntries: string[];
  changes: RopaFieldChange[];
}

/**
 * What changed between two generations of the record: activities that appeared or went, and per
 * field the lines added and removed. A field under a hand-written text compares the generated text
 * kept beside it, so a data-map change stays visible even where the record shows the manual text.
 */
export function diffRecords(before: RecordOfProcessing, after: RecordOfProcessing): RopaDiff {
  const beforeIds = new Set(before.entries.map((e) => e.id));
  const afterIds = new Set(after.entries.map((e) => e.id));
  const changes: RopaFieldChange[] = [];
  for (const entry of after.entries) {
    const old = before.entries.find((e) => e.id === entry.id);
    if (!old) continue;
    for (const field of entry.fields) {
      const previous = old.fields.find((f) => f.key === field.key);
      // What the record shows (generated or hand-written text)…
      const shown = lineChanges(previous?.lines ?? [], field.lines);
      if (shown)
        changes.push({
          entryId: entry.id,
          field: field.key,
          article: field.article,
          ...shown,
          underManualText: false,
        });
      // …and, under a hand-written text, what the data map now says beneath it.
      if (field.provenance.kind !== 'manual') continue;
      const generatedThen =
        previous?.provenance.kind === 'manual' ? (previous.generated ?? []) : (previous?.lines ?? []);
      const beneath = lineChanges(previous ? generatedThen : [], field.generated ?? []);
      if (beneath)
        changes.push({
          entryId: entry.id,
          field: field.key,
          article: field.article,
          ...beneath,
          underManualText: true,
        });
    }
  }
  return {
    from: before.generatedAt,
    to: after.generatedAt,
    addedEntries: [...afterIds].filter((id) => !beforeIds.has(id)),
    removedEntries: [...beforeIds].filter((id) => !afterIds.has(id)),
    changes,
  };
}

function lineChanges(
  then: readonly string[],
  now: readonly string[],
): { added: string[]; removed: string[] } | undefined {
  const added = now.filter((l) => !then.includes(l));
  const removed = then.filter((l) => !now.includes(l));
  return added.length || removed.length ? { added, removed } : undefined;
}
