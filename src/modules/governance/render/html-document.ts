/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A self-contained printable page: A4, no external resources (an authority may open it offline). */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  @page { size: A4; margin: 18mm 16mm; }
  body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111; max-width: 190mm; margin: 0 auto; }
  h1 { font-size: 18pt; margin: 0 0 4pt; }
  h2 { font-size: 13pt; margin: 18pt 0 6pt; border-bottom: 1px solid #999; padding-bottom: 2pt; break-after: avoid; }
  .meta { color: #444; font-size: 9pt; }
  table { width: 100%; border-collapse: collapse; margin: 4pt 0 10pt; }
  th, td { text-align: left; vertical-align: top; border: 1px solid #bbb; padding: 4pt 6pt; }
  th { width: 34%; background: #f2f2f2; font-weight: 600; }
  tr { break-inside: avoid; }
  .article { display: block; color: #555; font-weight: 400; font-size: 8.5pt; }
  .provenance { display: block; color: #666; font-size: 8pt; margin-top: 3pt; }
  .missing { color: #a00; }
  ul { margin: 0; padding-left: 14pt; }
  section { break-inside: auto; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
