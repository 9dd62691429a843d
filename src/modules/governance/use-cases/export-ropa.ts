import type { RecordOfProcessing } from '../core/record-of-processing.ts';
import { renderRopaCsv } from '../render/ropa-csv.ts';
import { renderRopaHtml } from '../render/ropa-html.ts';
import { renderRopaPdf } from '../render/ropa-pdf.ts';
import { generateRopa } from './generate-ropa.ts';
import type { GovernanceDeps } from './governance-deps.ts';

export type ExportFormat = 'json' | 'csv' | 'html' | 'pdf';

export interface RenderedDocument {
  contentType: string;
  filename: string;
  body: string | Buffer;
}

const RENDERERS: Record<
  ExportFormat,
  (record: RecordOfProcessing) => Promise<Omit<RenderedDocument, 'filename'>>
> = {
  json: async (record) => ({ contentType: 'application/json', body: `${JSON.stringify(record, null, 2)}\n` }),
  csv: async (record) => ({ contentType: 'text/csv; charset=utf-8', body: renderRopaCsv(record) }),
  html: async (record) => ({ contentType: 'text/html; charset=utf-8', body: renderRopaHtml(record) }),
  pdf: async (record) => ({ contentType: 'application/pdf', body: await renderRopaPdf(record) }),
};

/** The current record of processing in one of the export formats (and kept as a generation). */
export async function exportRopa(
  deps: GovernanceDeps,
  tenantId: string,
  format: ExportFormat,
  at = new Date(),
): Promise<RenderedDocument> {
  const { record } = await generateRopa(deps, tenantId, at);
  const rendered = await RENDERERS[format](record);
  return {
    ...rendered,
    filename: `record-of-processing-${tenantId}-${record.generatedAt.slice(0, 10)}.${format}`,
  };
}
