import type { Row } from '../connector.ts';

/** Orders rows by the keyset columns like SQL's ORDER BY: NULLs last, dates and numbers by value. */
export function compareForKeyset(keyset: readonly string[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const column of keyset) {
      const order = compareValues(a[column], b[column]);
      if (order) return order;
    }
    return 0;
  };
}

function compareValues(a: unknown, b: unknown): number {
  const missingA = a === null || a === undefined;
  const missingB = b === null || b === undefined;
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const [p, q] = [String(x), String(y)];
  return p < q ? -1 : p > q ? 1 : 0;
}
