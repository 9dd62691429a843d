import type { RecordOfProcessing, RopaField } from '../core/record-of-processing.ts';
import { renderPdf } from './pdf-document.ts';

function note(field: RopaField): string {
  if (field.provenance.kind === 'generated')
    return `Generated from the data map: ${field.provenance.from.slice(0, 2).join('; ')}${field.provenance.from.length > 2 ? ` and ${field.provenance.from.length - 2} more` : ''}`;
  if (field.provenance.kind === 'manual')
    return `Written by hand by ${field.provenance.by} on ${field.provenance.at.slice(0, 10)}`;
  return 'Missing: to be completed by hand';
}

/** The record as a PDF an authority can be handed (GDPR Art. 30(4)). */
export function renderRopaPdf(
  record: RecordOfProcessing,
  title = 'Record of processing activities',
): Promise<Buffer> {
  return renderPdf({
    title,
    meta: `GDPR Article 30 · tenant ${record.tenantId} · generated ${record.generatedAt} · ${record.entries.length} entries`,
    info: { subject: 'Record of processing activities under Article 30 GDPR' },
    sections: record.entries.map((entry) => ({
      heading: entry.name,
      subheading: `${entry.role === 'controller' ? 'Processing activity (controller, Art. 30(1))' : 'Processing on behalf of a controller (processor, Art. 30(2))'} · ${entry.id} · systems: ${entry.systems.join(', ')}`,
      rows: entry.fields.map((field) => ({
        label: field.label,
        article: field.article,
        lines: field.lines,
        note: note(field),
        missing: field.provenance.kind === 'missing',
      })),
    })),
  });
}
