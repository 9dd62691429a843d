/**
 * The PDF's standard fonts (Helvetica) encode text as Windows-1252: characters outside it would print
 * as garbage. Common typography is mapped to its nearest Windows-1252 form; anything else becomes
 * "?" so the document stays legible.
 */
const REPLACEMENTS: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '≥': '>=',
  '≤': '<=',
  '✓': 'yes',
  '✗': 'no',
  '…': '...',
  '\u00a0': ' ',
};
const WINDOWS_1252_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

export function pdfText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (REPLACEMENTS[char] !== undefined) out += REPLACEMENTS[char];
    else if (
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa0 && code <= 0xff) ||
      char === '\n' ||
      WINDOWS_1252_EXTRAS.has(char)
    )
      out += char;
    else out += '?';
  }
  return out;
}
