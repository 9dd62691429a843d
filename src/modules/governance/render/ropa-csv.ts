import { stringify } from 'csv-stringify/sync';
import type { RecordOfProcessing } from '../core/record-of-processing.ts';

/**
 * The record as CSV, one row per line of each field, so a spreadsheet can filter by activity,
 * article or provenance. Fields without text get one row that says "missing".
 */
export function renderRopaCsv(record: RecordOfProcessing): string {
  const rows: string[][] = [];
  for (const entry of record.entries) {
    for (const field of entry.fields) {
      const provenance =
        field.provenance.kind === 'generated'
          ? 'generated'
          : field.provenance.kind === 'manual'
            ? `written by hand (${field.provenance.by}, ${field.provenance.at})`
            : 'missing';
      const source = field.provenance.kind === 'generated' ? field.provenance.from.join('; ') : '';
      const lines = field.lines.length ? field.lines : [''];
      for (const line of lines)
        rows.push([entry.id, entry.role, entry.name, field.article, field.label, line, provenance, source]);
    }
  }
  return stringify(rows, {
    header: true,
    columns: ['entry', 'role', 'activity', 'article', 'field', 'text', 'provenance', 'generated_from'],
  });
}
