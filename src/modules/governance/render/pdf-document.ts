import { pdfText } from './pdf-text.ts';

/** A section of a printable document: a heading and labelled rows (label, optional article, lines, note). */
export interface PdfSection {
  heading: string;
  subheading?: string;
  rows: { label: string; article?: string; lines: string[]; note?: string; missing?: boolean }[];
}

const MARGIN = 50;
const LABEL_WIDTH = 160;

/**
 * Renders a document with pdfkit (real PDF text, selectable and searchable): title, meta line,
 * sections of label/value rows that break across pages, and "page n of m" in every footer.
 */
export async function renderPdf(input: {
  title: string;
  meta: string;
  sections: PdfSection[];
  info?: { subject?: string };
}): Promise<Buffer> {
  // Loaded on the first document rather than at start-up: pdfkit and its fonts are several MB of
  // memory every Steward process would otherwise hold for a rarely used export.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: pdfText(input.title),
      Subject: pdfText(input.info?.subject ?? input.title),
      Producer: 'Steward',
      Creator: 'Steward',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const valueWidth = width - LABEL_WIDTH - 10;
  const bottom = () => doc.page.height - MARGIN - 20;

  doc.font('Helvetica-Bold').fontSize(18).text(pdfText(input.title), { width });
  doc
    .moveDown(0.3)
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#444')
    .text(pdfText(input.meta), { width })
    .fillColor('#000');

  for (const section of input.sections) {
    if (doc.y > bottom() - 80) doc.addPage();
    doc
      .moveDown(1)
      .font('Helvetica-Bold')
      .fontSize(13)
      .text(pdfText(section.heading), MARGIN, doc.y, { width });
    if (section.subheading)
      doc
        .font('Helvetica')
        .fontSize(8.5)
        .fillColor('#555')
        .text(pdfText(section.subheading), { width })
        .fillColor('#000');
    doc
      .moveTo(MARGIN, doc.y + 2)
      .lineTo(MARGIN + width, doc.y + 2)
      .strokeColor('#999')
      .stroke();
    doc.moveDown(0.5);
    for (const row of section.rows) {
      const value = row.lines.length
        ? row.lines.map((l) => (row.lines.length > 1 ? `• ${l}` : l)).join('\n')
        : 'Not yet recorded';
      doc.font('Helvetica').fontSize(9.5);
      const needed = Math.max(
        doc.heightOfString(pdfText(value), { width: valueWidth }) + (row.note ? 12 : 0),
        24,
      );
      if (doc.y + Math.min(needed, 120) > bottom()) doc.addPage();
      const top = doc.y;
      doc.font('Helvetica-Bold').fontSize(9).text(pdfText(row.label), MARGIN, top, { width: LABEL_WIDTH });
      if (row.article)
        doc
          .font('Helvetica')
          .fontSize(8)
          .fillColor('#555')
          .text(pdfText(row.article), MARGIN, doc.y, { width: LABEL_WIDTH })
          .fillColor('#000');
      const labelBottom = doc.y;
      doc
        .font('Helvetica')
        .fontSize(9.5)
        .fillColor(row.missing ? '#a00000' : '#000')
        .text(pdfText(value), MARGIN + LABEL_WIDTH + 10, top, { width: valueWidth });
      if (row.note)
        doc
          .font('Helvetica-Oblique')
          .fontSize(7.5)
          .fillColor('#666')
          .text(pdfText(row.note), MARGIN + LABEL_WIDTH + 10, doc.y + 1, { width: valueWidth });
      doc.fillColor('#000');
      doc.y = Math.max(doc.y, labelBottom) + 6;
      doc.x = MARGIN;
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const footerY = doc.page.height - MARGIN + 10;
    doc.font('Helvetica').fontSize(8).fillColor('#666');
    // Writing below the bottom margin would make pdfkit open a new page; lift the margin while drawing.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.text(pdfText(`${input.title} · page ${i + 1} of ${range.count}`), MARGIN, footerY, {
      width,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
