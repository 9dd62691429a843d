/**
 * A set of ids written as inclusive ranges, `[[1, 65535]]` rather than 65,535 numbers. A TC string
 * encodes its vendor consents with range entries, so 52 bytes can say "every vendor": kept as
 * ranges, what Steward stores and returns stays about as small as the string.
 */
export type IdRanges = Array<[first: number, last: number]>;

/** The ranges of a bit vector visited in increasing id order (`forEach` of @iabtcf/core's Vector). */
export function rangesOf(vector: {
  forEach(callback: (value: boolean, id: number) => void): void;
}): IdRanges {
  const ranges: IdRanges = [];
  vector.forEach((value, id) => {
    if (!value) return;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === id - 1) last[1] = id;
    else ranges.push([id, id]);
  });
  return ranges;
}

/**
 * Ranges as stored: rows written before ranges were kept hold plain id lists (`[1, 2, 3]`), read as
 * their ranges.
 */
export function storedRanges(stored: ReadonlyArray<number | readonly number[]>): IdRanges {
  if (stored.every((item) => Array.isArray(item)))
    return stored.map((item) => [(item as readonly number[])[0]!, (item as readonly number[])[1]!]);
  const ids = [...new Set(stored as number[])].sort((a, b) => a - b);
  return rangesOf({ forEach: (callback) => ids.forEach((id) => callback(true, id)) });
}

/** Membership in O(log ranges). */
export function rangeSet(ranges: IdRanges): { has(id: number): boolean; readonly size: number } {
  return {
    has(id) {
      let low = 0;
      let high = ranges.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const [first, last] = ranges[middle]!;
        if (id < first) high = middle - 1;
        else if (id > last) low = middle + 1;
        else return true;
      }
      return false;
    },
    size: ranges.reduce((n, [first, last]) => n + last - first + 1, 0),
  };
}
