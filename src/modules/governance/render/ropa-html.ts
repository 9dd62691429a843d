import type { RecordOfProcessing, RopaField } from '../core/record-of-processing.ts';
import { escapeHtml, htmlDocument } from './html-document.ts';

function provenanceText(field: RopaField): string {
  if (field.provenance.kind === 'generated')
    return `Generated from the data map: ${field.provenance.from.slice(0, 3).join('; ')}${field.provenance.from.length > 3 ? ` and ${field.provenance.from.length - 3} more` : ''}`;
  if (field.provenance.kind === 'manual')
    return `Written by hand by ${field.provenance.by} on ${field.provenance.at.slice(0, 10)}`;
  return 'Missing: to be completed by hand';
}

/** The record as a printable HTML page (GDPR Art. 30(3): in writing; 30(4): on request of the authority). */
export function renderRopaHtml(
  record: RecordOfProcessing,
  title = 'Record of processing activities',
): string {
  const sections = record.entries.map((entry) => {
    const rows = entry.fields.map((field) => {
      const text = field.lines.length
        ? field.lines.length === 1
          ? escapeHtml(field.lines[0]!)
          : `<ul>${field.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`
        : '<span class="missing">Not yet recorded</span>';
      return `<tr><th>${escapeHtml(field.label)}<span class="article">${escapeHtml(field.article)}</span></th><td>${text}<span class="provenance">${escapeHtml(provenanceText(field))}</span></td></tr>`;
    });
    const kind =
      entry.role === 'controller'
        ? 'Processing activity (controller, Art. 30(1))'
        : 'Processing on behalf of a controller (processor, Art. 30(2))';
    return `<section><h2>${escapeHtml(entry.name)}</h2><p class="meta">${kind} · ${escapeHtml(entry.id)} · systems: ${escapeHtml(entry.systems.join(', '))}</p><table>${rows.join('')}</table></section>`;
  });
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="meta">GDPR Article 30 · tenant ${escapeHtml(record.tenantId)} · generated ${escapeHtml(record.generatedAt)} from ${escapeHtml(record.sources.join(', ') || 'the data map')} · ${record.entries.length} entries</p>
${sections.join('\n')}`;
  return htmlDocument(title, body);
}
