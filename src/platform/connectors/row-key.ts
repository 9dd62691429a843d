/**
 * A canonical text for a tuple of column values, so keys read from a database can be compared in
 * memory whatever type the driver chose (an int8 id may arrive as a string from one driver and a
 * number from another; a timestamp as a Date).
 */
export function keyOf(values: readonly unknown[]): string {
  return values.map(canonicalValue).join('\u001f');
}

function canonicalValue(value: unknown): string {
  if (value === null || value === undefined) return '\u2205';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
