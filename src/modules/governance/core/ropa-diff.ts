import type { RecordOfProcessing, RopaFieldKey } from './record-of-processing.ts';

export interface RopaFieldChange {
  entryId: string;
  field: RopaFieldKey;
  article: string;
  added: string[];
  removed: string[];
  /** A hand-written text hides the change from the record itself: someone should review it. */
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
      const now = field.generated ?? field.lines;
      const then = previous ? (previous.generated ?? previous.lines) : [];
      const added = now.filter((l) => !then.includes(l));
      const removed = then.filter((l) => !now.includes(l));
      const manualChanged =
        field.provenance.kind === 'manual' &&
        JSON.stringify(field.lines) !== JSON.stringify(previous?.lines ?? []);
      if (!added.length && !removed.length && !manualChanged) continue;
      changes.push({
        entryId: entry.id,
        field: field.key,
        article: field.article,
        added:
          manualChanged && !added.length
            ? field.lines.filter((l) => !(previous?.lines ?? []).includes(l))
            : added,
        removed:
          manualChanged && !removed.length
            ? (previous?.lines ?? []).filter((l) => !field.lines.includes(l))
            : removed,
        underManualText: field.provenance.kind === 'manual' && (added.length > 0 || removed.length > 0),
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
