/**
 * PostgreSQL's COPY text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text
 * Format"): one row per line, columns separated by tabs, `\N` for NULL, backslash escapes for
 * backslash, newline, carriage return, tab and the rest. Values are decoded only when they
 * contain a backslash, which most do not.
 */
export const COPY_NULL = '\\N';

const DECODES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

export function decodeCopyValue(field: string): string | null {
  if (field === COPY_NULL) return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, code: string) => {
    if (code[0] === 'x') return String.fromCharCode(parseInt(code.slice(1), 16));
    if (/^[0-7]/.test(code)) return String.fromCharCode(parseInt(code, 8));
    return DECODES[code] ?? code;
  });
}

const NEEDS_ESCAPE = /[\\\n\r\t\b\f\v]/;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

export function encodeCopyValue(value: string | null): string {
  if (value === null) return COPY_NULL;
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\n\r\t\b\f\v]/g, (char) => ESCAPES[char]!);
}

/** Splits one line (without its newline) into raw fields. */
export function splitCopyLine(line: string): string[] {
  return line.split('\t');
}
